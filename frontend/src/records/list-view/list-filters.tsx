import { useId } from "react";
import { useTranslation } from "react-i18next";
import { findField, useMetaLabels } from "../metadata/use-object-meta";
import type { ObjectMeta } from "../metadata/types";

export type ListFiltersProps = {
  meta: ObjectMeta;
  values: Record<string, string>;
  onChange: (values: Record<string, string>) => void;
};

/** Select filters for the metadata's picklist and boolean filters (owner is the My/All switch). */
export function ListFilters({ meta, values, onChange }: ListFiltersProps) {
  const { t } = useTranslation();
  const labels = useMetaLabels();
  const baseId = useId();
  const fields = meta.filters
    .map((name) => meta.fields.find((field) => field.name === name) ?? (name.startsWith("is_") || name.startsWith("has_") ? findField(meta, name) : undefined))
    .filter((field) => field && (field.type === "picklist" || field.type === "boolean" || field.name.startsWith("has_")));
  if (!fields.length) return null;
  return (
    <div className="slds-grid slds-wrap slds-gutters_x-small crm-list-filters">
      {fields.map((field) => {
        if (!field) return null;
        const id = `${baseId}-${field.name}`;
        const isBoolean = field.type !== "picklist";
        return (
          <div key={field.name} className="slds-col slds-form-element crm-list-filter">
            <label className="slds-form-element__label" htmlFor={id}>
              {labels.fieldLabel(meta, field)}
            </label>
            <div className="slds-form-element__control">
              <div className="slds-select_container">
                <select
                  id={id}
                  className="slds-select"
                  value={values[field.name] ?? ""}
                  onChange={(event) => onChange({ ...values, [field.name]: event.target.value })}
                >
                  <option value="">{t("list.filterAll")}</option>
                  {isBoolean ? (
                    <>
                      <option value="true">{t("list.filterYes")}</option>
                      <option value="false">{t("list.filterNo")}</option>
                    </>
                  ) : (
                    field.options.map((option) => (
                      <option key={option} value={option}>
                        {labels.option(option)}
                      </option>
                    ))
                  )}
                </select>
              </div>
            </div>
          </div>
        );
      })}
    </div>
  );
}
