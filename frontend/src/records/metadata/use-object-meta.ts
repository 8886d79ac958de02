import { queryOptions, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../lib/api-client";
import type { FieldMeta, MetaIndex, ObjectMeta, RecordData } from "./types";

export const metaQuery = queryOptions({
  queryKey: ["meta", "objects"],
  queryFn: async (): Promise<MetaIndex> => {
    const data = await api.get<{ objects: ObjectMeta[] }>("meta/objects");
    return indexMeta(data.objects);
  },
  staleTime: Infinity,
});

export function indexMeta(objects: ObjectMeta[]): MetaIndex {
  return { objects, byName: Object.fromEntries(objects.map((meta) => [meta.name, meta])) };
}

export function useMetaIndex() {
  return useQuery(metaQuery);
}

/** Field metadata for a column name; "name" on objects without a name field gets a synthetic text field. */
export function findField(meta: ObjectMeta, name: string): FieldMeta {
  const found = meta.fields.find((field) => field.name === name);
  if (found) return found;
  return {
    name,
    label: name
      .replace(/_id$/, "")
      .replace(/_/g, " ")
      .replace(/^./, (c) => c.toUpperCase()),
    type: "text",
    required: false,
    readonly: true,
    options: [],
    lookup: null,
    display: null,
    max_length: null,
    help_text: "",
    related_list: false,
  };
}

export function recordTitle(meta: ObjectMeta, record: RecordData | undefined): string {
  if (!record) return "";
  const value = record[meta.title_field] ?? record.name;
  if (value !== undefined && value !== null && value !== "") return String(value);
  return `#${record.id}`;
}

/**
 * A record whose status the server refuses changes in (`extra.locked_when: {field, values}`, e.g. an
 * issued invoice): the record page shows no Edit, no pencils and no line edits for it.
 */
export function recordLocked(meta: ObjectMeta, record: RecordData | undefined): boolean {
  const rule = (meta.extra as { locked_when?: { field: string; values: string[] } } | undefined)?.locked_when;
  if (!rule || !record) return false;
  return rule.values.includes(String(record[rule.field] ?? ""));
}

/** Translated labels for metadata (object, field, picklist option), falling back to the server's English. */
export function useMetaLabels() {
  const { t } = useTranslation("meta");
  return {
    objectLabel: (meta: ObjectMeta) => t(`objects.${meta.name}.label`, { defaultValue: meta.label }),
    objectPlural: (meta: ObjectMeta) => t(`objects.${meta.name}.label_plural`, { defaultValue: meta.label_plural }),
    fieldLabel: (meta: ObjectMeta, field: FieldMeta) =>
      t(`fields.${meta.name}.${field.name}`, {
        defaultValue: t(`fields.*.${field.name}`, { defaultValue: field.label }),
      }),
    option: (value: string) => t(`options.${value}`, { defaultValue: value, nsSeparator: false }),
  };
}

/** The options of a picklist field as the metadata lists them (empty until the metadata has loaded). */
export function picklistOptions(metaIndex: MetaIndex | undefined, object: string, field: string): string[] {
  return metaIndex?.byName[object]?.fields.find((candidate) => candidate.name === field)?.options ?? [];
}

/** Options of a picklist field with their translated labels, ready for a select. */
export function usePicklist(object: string, field: string): { value: string; label: string }[] {
  const { data: metaIndex } = useMetaIndex();
  const labels = useMetaLabels();
  return picklistOptions(metaIndex, object, field).map((value) => ({ value, label: labels.option(value) }));
}
