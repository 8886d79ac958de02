import type { FieldMeta, ObjectMeta } from "../records/metadata/types";

export function field(overrides: Partial<FieldMeta> & Pick<FieldMeta, "name" | "type">): FieldMeta {
  return {
    label: overrides.name,
    required: false,
    readonly: false,
    options: [],
    lookup: null,
    display: null,
    max_length: null,
    help_text: "",
    ...overrides,
  };
}

export const accountMeta: ObjectMeta = {
  name: "account",
  label: "Account",
  label_plural: "Accounts",
  api_path: "accounts",
  icon: "account",
  title_field: "name",
  fields: [
    field({ name: "name", label: "Account Name", type: "text", required: true, max_length: 255 }),
    field({ name: "phone", label: "Phone", type: "phone" }),
    field({ name: "type", label: "Type", type: "picklist", options: ["Prospect", "Customer"] }),
    field({ name: "owner_id", label: "Account Owner", type: "lookup", lookup: "user", display: "owner_name", required: true }),
  ],
  list_columns: ["name", "phone", "type", "owner_id"],
  highlight_fields: ["type", "phone"],
  form_fields: ["name", "phone", "type"],
  filters: ["owner", "type"],
  related: [{ object: "contact", field: "account_id", label: "Contacts", columns: ["name", "email"], key: "contacts" }],
  path_field: null,
  default_ordering: "name",
  searchable: true,
  admin_only_write: false,
  can_deactivate: true,
  extra: {},
};

export const contactMeta: ObjectMeta = {
  ...accountMeta,
  name: "contact",
  label: "Contact",
  label_plural: "Contacts",
  api_path: "contacts",
  icon: "contact",
  fields: [
    field({ name: "first_name", label: "First Name", type: "text" }),
    field({ name: "last_name", label: "Last Name", type: "text", required: true }),
    field({ name: "account_id", label: "Account Name", type: "lookup", lookup: "account", display: "account_name", required: true }),
    field({ name: "email", label: "Email", type: "email" }),
  ],
  list_columns: ["name", "account_id", "email"],
  form_fields: ["first_name", "last_name", "account_id", "email"],
  filters: ["owner", "account_id"],
  related: [],
  default_ordering: "last_name",
};

export const sessionUser = {
  id: 1,
  name: "Demo Admin",
  email: "admin@example.com",
  role: "owner",
  is_admin: true,
  language: "en",
  organization: { id: 1, name: "Demo Agency", currency: "EUR" },
};
