import type { components } from "../../lib/api-types";

/** The metadata types come from the API's OpenAPI schema (GET /meta/objects), never written by hand. */
type Schemas = components["schemas"];
export type FieldType = Schemas["FieldMetaTypeEnum"];
export type FieldMeta = Schemas["FieldMeta"];
export type RelatedListMeta = Schemas["RelatedListMeta"];
export type ObjectMeta = Schemas["ObjectMeta"];

/** Every field type, for exhaustive checks (field renderers); the compiler keeps it equal to the schema's list. */
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
] as const satisfies readonly FieldType[];
// Fails to compile when the schema gains a type this list lacks.
const everyFieldType: Record<FieldType, true> = Object.fromEntries(FIELD_TYPES.map((type) => [type, true])) as Record<(typeof FIELD_TYPES)[number], true>;
void everyFieldType;

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
