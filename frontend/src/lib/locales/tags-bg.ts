import type { tagsEn } from "./tags-en";

/** Bulgarian strings of tags. */
export const tagsBg: typeof tagsEn = {
  label: "Етикети",
  none: "Все още няма етикети",
  add: "Добавяне на етикет",
  addPlaceholder: "Добавете етикет…",
  create: "Създаване на етикет „{{name}}“",
  typeToCreate: "Въведете име, за да създадете етикет",
  remove: "Премахване на етикет {{name}}",
  failed: "Етикетът не можа да бъде записан.",
  filter: "Етикет",
  admin: {
    tab: "Етикети",
    title: "Етикети",
    intro: "Етикетите отбелязват всякакви записи. Всеки може да добавя етикети; администраторите ги преименуват, оцветяват и изтриват тук.",
    tag: "Етикет",
    name: "Име",
    nameOf: "Име на {{name}}",
    colour: "Цвят",
    colourOf: "Цвят на {{name}}",
    usage: "Записи",
    empty: "Все още няма етикети: добавете от който и да е запис.",
    saved: "Етикетът „{{name}}“ е записан.",
    delete: "Изтриване",
    deleteTitle: "Изтриване на етикет „{{name}}“",
    deleteBody_one: "„{{name}}“ е на {{count}} запис. Изтриването го премахва от този запис.",
    deleteBody_other: "„{{name}}“ е на {{count}} записа. Изтриването го премахва от всички тях.",
    deleted: "Етикетът „{{name}}“ е изтрит.",
  },
};
