import type { recycleBinEn } from "./recycle-bin-en";

/** Bulgarian strings of the recycle bin. */
export const recycleBinBg: typeof recycleBinEn = {
  title: "Кошче",
  meta: "Деактивирани записи",
  object: "Обект",
  intro: "Деактивираните записи остават тук с историята си; „Възстановяване“ ги прави отново активни.",
  of: "Деактивирани: {{plural}}",
  name: "Име",
  owner: "Отговорник",
  deactivatedAt: "Последна промяна",
  restore: "Възстановяване",
  restored: "„{{name}}“ е възстановен.",
  empty: "Тук няма деактивирани записи.",
  link: "Кошче",
};
