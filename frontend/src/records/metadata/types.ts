import type { components } from "../../lib/api-types";

/** The metadata types come from the API's OpenAPI schema (GET /meta/objects), never written by hand. */
type Schemas = components["schemas"];
export type FieldType = Schemas["FieldMetaTypeEnum"];
export type FieldMeta = Schemas["FieldMeta"];
export type RelatedListMeta = Schemas["RelatedListMeta"];
export type ObjectMeta = Schemas["ObjectMeta"];

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
