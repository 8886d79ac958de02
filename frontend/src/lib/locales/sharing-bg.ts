import type { UiCatalog } from "./en";

/** Bulgarian strings of record sharing and the server-computed dashboard. */
export const sharingBg: UiCatalog["sharing"] = {
  settings: {
    title: "Настройки за споделяне",
    tab: "Споделяне",
    intro:
      "Стандартен достъп за цялата организация: кой вижда и кой редактира записите на всеки обект. Собствениците и администраторите виждат всичко; мениджърите на потребителя виждат неговите записи.",
    object: "Обект",
    access: "Стандартен достъп",
    changeAccess: "Стандартен достъп до {{object}}",
    saved: "Настройките за споделяне са запазени.",
    levels: {
      Private: "Личен",
      PublicReadOnly: "Публичен само за четене",
      PublicReadWrite: "Публичен за четене и запис",
    },
    help: {
      Private: "Само собственикът, потребителите над него, администраторите и тези, с които е споделен.",
      PublicReadOnly: "Всички четат; редактират само собственикът, потребителите над него и администраторите.",
      PublicReadWrite: "Всички четат и редактират.",
    },
  },
  share: {
    button: "Споделяне",
    title: "Споделяне: {{name}}",
    user: "Потребител",
    access: "Достъп",
    add: "Сподели",
    remove: "Премахни",
    removeUser: "Премахни споделянето с {{name}}",
    empty: "Все още не е споделен с никого.",
    added: "Споделено с {{name}}.",
    removed: "{{name}} вече няма достъп чрез споделяне.",
    forbidden: "Само собственикът на записа, потребителите над него и администраторите могат да го споделят.",
    pickUser: "Изберете потребител",
    levels: { Read: "Само четене", Edit: "Четене и запис" },
  },
  manager: {
    label: "Мениджър",
    none: "Без мениджър",
    change: "Мениджър на {{name}}",
    changed: "{{name}} вече докладва на {{manager}}.",
    cleared: "{{name}} вече няма мениджър.",
  },
  dashboard: {
    wonByMonth: "Спечелени приходи по месеци",
    conversion: "Конверсия на потенциални клиенти (12 месеца)",
    leads: "Потенциални клиенти",
    opportunities: "Възможности",
    won: "Спечелени",
    rate: "{{rate}}%",
    activitiesWeek: "Дейности тази седмица",
    activitiesEmpty: "Няма задачи или събития тази седмица.",
    tasksEvents: "{{tasks}} задачи · {{events}} събития",
    topAccounts: "Най-добри клиенти по спечелени приходи",
    topAccountsEmpty: "Няма спечелени сделки през последните 12 месеца.",
    overdueTasks: "Просрочени задачи",
    overdueEmpty: "Няма просрочени задачи.",
    monthBar: "{{month}}: {{amount}}",
  },
};
