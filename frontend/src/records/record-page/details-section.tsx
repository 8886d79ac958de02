import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ButtonIcon } from "../../components/icon";
import { useToast } from "../../components/toast";
import { ApiError } from "../../lib/api-client";
import { useFieldErrors } from "../../lib/use-field-errors";
import { useUpdateRecord } from "../api/use-update-record";
import { FieldFormElement } from "../fields/field-form-element";
import { FieldValue } from "../fields/field-renderers";
import { toApiValue } from "../fields/format";
import { recordTitle, useMetaLabels } from "../metadata/use-object-meta";
import type { FieldMeta, ObjectMeta, RecordData } from "../metadata/types";

export type DetailsSectionProps = { meta: ObjectMeta; record: RecordData; canWrite: boolean };

/** All fields of the record; the pencil turns the section into inputs with Save/Cancel (inline edit). */
export function DetailsSection({ meta, record, canWrite }: DetailsSectionProps) {
  const { t } = useTranslation();
  const labels = useMetaLabels();
  const toast = useToast();
  const update = useUpdateRecord(meta);
  const [editing, setEditing] = useState(false);
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [names, setNames] = useState<Record<string, string | null>>({});
  const { errors, showError, clear } = useFieldErrors({ fields: meta.fields.map((field) => field.name) });
  const editable = (field: FieldMeta) => canWrite && !field.readonly && record.is_active !== false;

  const startEdit = () => {
    setValues(Object.fromEntries(meta.fields.map((field) => [field.name, record[field.name] ?? null])));
    setNames(Object.fromEntries(meta.fields.filter((f) => f.display).map((f) => [f.name, (record[f.display as string] as string) ?? null])));
    clear();
    setEditing(true);
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const changes: Record<string, unknown> = {};
    for (const field of meta.fields) {
      if (!editable(field)) continue;
      const value = toApiValue(field.type, values[field.name]);
      if (value !== toApiValue(field.type, record[field.name])) changes[field.name] = value;
    }
    if (!Object.keys(changes).length) {
      setEditing(false);
      return;
    }
    try {
      const saved = await update.mutateAsync({ id: record.id, version: record.version, changes });
      toast.show({ variant: "success", message: t("record.saved", { label: labels.objectLabel(meta), name: recordTitle(meta, saved) }) });
      setEditing(false);
    } catch (error) {
      if (error instanceof ApiError && error.isConflict) {
        setEditing(false);
      } else {
        showError(error);
      }
    }
  };

  return (
    <form className="slds-form crm-details" role="list" onSubmit={save} noValidate aria-label={t("record.details")}>
      <div className="slds-grid slds-wrap slds-gutters_small">
        {meta.fields.map((field) => {
          const label = labels.fieldLabel(meta, field);
          if (editing && editable(field)) {
            return (
              <div key={field.name} className="slds-col slds-size_1-of-1 slds-medium-size_1-of-2" role="listitem">
                <FieldFormElement
                  field={field}
                  label={label}
                  value={values[field.name]}
                  displayName={names[field.name] ?? null}
                  errors={errors[field.name]}
                  disabled={update.isPending}
                  onChange={(value, displayName) => {
                    setValues((current) => ({ ...current, [field.name]: value }));
                    if (displayName !== undefined) setNames((current) => ({ ...current, [field.name]: displayName }));
                  }}
                />
              </div>
            );
          }
          return (
            <div key={field.name} className="slds-col slds-size_1-of-1 slds-medium-size_1-of-2" role="listitem">
              <div className="slds-form-element slds-form-element_edit slds-form-element_readonly slds-form-element_stacked slds-hint-parent">
                <span className="slds-form-element__label">{label}</span>
                <div className="slds-form-element__control">
                  <div className="slds-form-element__static crm-static-value">
                    <FieldValue field={field} record={record} />
                  </div>
                  {editable(field) && !editing ? (
                    <ButtonIcon
                      icon="edit"
                      label={t("record.editField", { field: label })}
                      onClick={startEdit}
                      className="slds-button__icon_hint crm-inline-edit"
                    />
                  ) : null}
                </div>
              </div>
            </div>
          );
        })}
      </div>
      {editing ? (
        <div className="slds-docked-form-footer crm-inline-footer">
          <button type="button" className="slds-button slds-button_neutral" onClick={() => setEditing(false)}>
            {t("common.cancel")}
          </button>
          <button type="submit" className="slds-button slds-button_brand" disabled={update.isPending}>
            {update.isPending ? t("common.saving") : t("common.save")}
          </button>
        </div>
      ) : null}
    </form>
  );
}
