import { useId } from "react";
import { useTranslation } from "react-i18next";
import { FormElement, Select } from "../../components/form-element";
import { findField, useMetaLabels } from "../metadata/use-object-meta";
import type { ObjectMeta } from "../metadata/types";
import { TagFilter } from "../tags/tag-filter";

export type ListFiltersProps = {
  meta: ObjectMeta;
  values: Record<string, string>;
  onChange: (values: Record<string, string>) => void;
};

/** Select filters for the metadata's picklist and boolean filters, and the tag filter (owner is the My/All switch). */
export function ListFilters({ meta, values, onChange }: ListFiltersProps) {
  const { t } = useTranslation();
  const labels = useMetaLabels();
  const baseId = useId();
  const fields = meta.filters
    .map((name) => meta.fields.find((field) => field.name === name) ?? (name.startsWith("is_") || name.startsWith("has_") ? findField(meta, name) : undefined))
    .filter((field) => field && (field.type === "picklist" || field.type === "boolean" || field.name.startsWith("has_")));
  return (
    <div className="slds-grid slds-wrap slds-gutters_x-small crm-list-filters">
      {fields.map((field) => {
        if (!field) return null;
        const id = `${baseId}-${field.name}`;
        const isBoolean = field.type !== "picklist";
        return (
          <FormElement key={field.name} id={id} label={labels.fieldLabel(meta, field)} className="slds-col crm-list-filter">
            <Select
              id={id}
              value={values[field.name] ?? ""}
              onChange={(value) => onChange({ ...values, [field.name]: value })}
              placeholder={t("list.filterAll")}
              options={
                isBoolean
                  ? [
                      { value: "true", label: t("list.filterYes") },
                      { value: "false", label: t("list.filterNo") },
                    ]
                  : field.options.map((option) => ({ value: option, label: labels.option(option) }))
              }
            />
          </FormElement>
        );
      })}
      <TagFilter id={`${baseId}-tag`} value={values.tag ?? ""} onChange={(value) => onChange({ ...values, tag: value })} />
    </div>
  );
}
