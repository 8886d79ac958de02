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
    related_list: true,
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
  creatable: true,
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

/** Activities as the metadata serves them: the picklists the activity forms offer. */
export const activityMeta: ObjectMeta = {
  ...accountMeta,
  name: "activity",
  label: "Activity",
  label_plural: "Activities",
  api_path: "activities",
  icon: "task",
  title_field: "subject",
  fields: [
    field({ name: "subject", label: "Subject", type: "text", required: true }),
    field({ name: "type", label: "Type", type: "picklist", options: ["Task", "Event"] }),
    field({ name: "status", label: "Status", type: "picklist", options: ["Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred"] }),
    field({ name: "priority", label: "Priority", type: "picklist", options: ["High", "Normal", "Low"] }),
    field({ name: "what_type", label: "Related To Type", type: "picklist", options: ["Account", "Opportunity", "Case", "Order", "Contract"] }),
    field({ name: "who_type", label: "Name Type", type: "picklist", options: ["Contact", "Lead"] }),
  ],
  list_columns: ["subject", "type", "status"],
  form_fields: ["subject", "type", "status", "priority"],
  filters: ["owner", "type", "status"],
  related: [],
  default_ordering: "-created_at",
};

/** Payments as the metadata serves them (choices in the model's order). */
export const paymentMeta: ObjectMeta = {
  ...accountMeta,
  name: "payment",
  label: "Payment",
  label_plural: "Payments",
  api_path: "payments",
  icon: "partner_fund_allocation",
  title_field: "payment_date",
  fields: [
    field({ name: "amount", label: "Amount", type: "currency", required: true }),
    field({ name: "payment_method", label: "Payment Method", type: "picklist", options: ["Stripe", "PayPal", "Cash", "Bank Transfer"] }),
    field({ name: "status", label: "Status", type: "picklist", options: ["Completed", "Pending", "Failed", "Void"] }),
  ],
  list_columns: ["amount", "payment_method", "status"],
  form_fields: ["amount", "payment_method", "status"],
  filters: ["status", "payment_method"],
  related: [],
  default_ordering: "-payment_date",
  can_deactivate: false,
  creatable: false,
};

/** Opportunities: stages come from their own endpoint, contact roles from `extra`. */
export const opportunityMeta: ObjectMeta = {
  ...accountMeta,
  name: "opportunity",
  label: "Opportunity",
  label_plural: "Opportunities",
  api_path: "opportunities",
  icon: "opportunity",
  fields: [
    field({ name: "name", label: "Opportunity Name", type: "text", required: true }),
    field({ name: "account_id", label: "Account Name", type: "lookup", lookup: "account", display: "account_name", required: true }),
    field({ name: "stage", label: "Stage", type: "picklist" }),
  ],
  list_columns: ["name", "stage"],
  form_fields: ["name", "account_id", "stage"],
  filters: ["owner", "stage"],
  related: [],
  path_field: "stage",
  default_ordering: "close_date",
  extra: {
    stages_path: "opportunity-stages",
    contact_roles: ["Decision Maker", "Economic Buyer", "Technical Buyer", "Evaluator", "Influencer", "Executive Sponsor", "Business User", "Other"],
  },
};

/** Contracts: the billing cycles a new term may use. */
export const contractMeta: ObjectMeta = {
  ...accountMeta,
  name: "contract",
  label: "Contract",
  label_plural: "Contracts",
  api_path: "contracts",
  icon: "contract",
  title_field: "contract_number",
  fields: [
    field({ name: "status", label: "Status", type: "picklist", options: ["Active", "Expired", "Terminated", "Cancelled"] }),
    field({ name: "billing_cycle", label: "Billing Cycle", type: "picklist", options: ["Monthly", "Annually"], readonly: true }),
  ],
  list_columns: ["status", "billing_cycle"],
  form_fields: ["status"],
  filters: ["owner", "status"],
  related: [],
  path_field: "status",
  default_ordering: "-start_date",
  can_deactivate: false,
  creatable: false,
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
