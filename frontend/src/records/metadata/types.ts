export const FIELD_TYPES = [
  "text",
  "textarea",
  "email",
  "phone",
  "url",
  "picklist",
  "integer",
  "currency",
  "percent",
  "date",
  "datetime",
  "boolean",
  "lookup",
] as const;

export type FieldType = (typeof FIELD_TYPES)[number];

export type FieldMeta = {
  name: string;
  label: string;
  type: FieldType;
  required: boolean;
  readonly: boolean;
  options: string[];
  lookup: string | null;
  display: string | null;
  max_length: number | null;
  help_text: string;
};

export type RelatedListMeta = {
  object: string;
  field: string;
  label: string;
  columns: string[];
  key: string;
};

export type ObjectMeta = {
  name: string;
  label: string;
  label_plural: string;
  api_path: string;
  icon: string;
  title_field: string;
  fields: FieldMeta[];
  list_columns: string[];
  highlight_fields: string[];
  form_fields: string[];
  filters: string[];
  related: RelatedListMeta[];
  path_field: string | null;
  default_ordering: string;
  searchable: boolean;
  admin_only_write: boolean;
  can_deactivate: boolean;
  extra: Record<string, unknown>;
};

export type RecordData = {
  id: number;
  version: number;
  is_active?: boolean;
  owner_id?: number | null;
  owner_name?: string | null;
  created_at?: string;
  updated_at?: string;
  [key: string]: unknown;
};

export type MetaIndex = {
  objects: ObjectMeta[];
  byName: Record<string, ObjectMeta>;
};
