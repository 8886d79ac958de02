/** English strings of the recycle bin. */
export const recycleBinEn = {
  title: "Recycle Bin",
  meta: "Deactivated records",
  object: "Object",
  intro: "Deactivated records stay here with their history; Restore makes one active again.",
  of: "Deactivated {{plural}}",
  name: "Name",
  owner: "Owner",
  deactivatedAt: "Last changed",
  restore: "Restore",
  restored: "“{{name}}” was restored.",
  empty: "Nothing deactivated here.",
  link: "Recycle Bin",
};
