import type { UiCatalog } from "./en";

/** Bulgarian strings of Setup › Jobs (background jobs). */
export const jobsBg: UiCatalog["jobs"] = {
  title: "Задачи",
  intro: "Работа във фонов режим: изпращане, генериране и планирани резервни копия. Неуспешна задача показва грешката си и може да бъде пусната отново.",
  task: "Задача",
  state: "Състояние",
  attempts: "Опити",
  error: "Грешка",
  created: "Създадена",
  finished: "Приключена",
  filter: "Състояние",
  all: "Всички състояния",
  empty: "Няма задачи.",
  retry: "Опитай отново",
  retryJob: "Опитай отново {{task}}",
  retried: "{{task}} е отново на опашката.",
  previous: "Предишна",
  next: "Следваща",
  page: "Страница {{page}}",
  states: {
    queued: "На опашката",
    running: "Изпълнява се",
    succeeded: "Успешна",
    failed: "Неуспешна",
  },
};
