import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { FormAlert, FormElement, ModalFooter } from "../../components/form-element";
import { Modal } from "../../components/modal";
import { useToast } from "../../components/toast";
import { useFieldErrors } from "../../lib/use-field-errors";
import { useCreateRecord, useUpdateRecord } from "../api/use-update-record";
import { FieldFormElement } from "../fields/field-form-element";
import { toApiValue } from "../fields/format";
import { RecordSearchLookup } from "../fields/record-search-lookup";
import { findField, recordTitle, useMetaLabels } from "../metadata/use-object-meta";
import type { FieldMeta, ObjectMeta, RecordData } from "../metadata/types";

export type RecordFormModalProps = {
  meta: ObjectMeta;
  /** Edit this record; create a new one when omitted. */
  record?: RecordData;
  /** Pre-filled values for a new record, e.g. {account_id: 5, account_name: "Acme"}. */
  initialValues?: Record<string, unknown>;
  /** Fields shown but not editable (the parent lookup of a related list's New). */
  lockedFields?: string[];
  onClose: () => void;
  onSaved?: (record: RecordData) => void;
};

function formFields(meta: ObjectMeta): FieldMeta[] {
  const names = meta.form_fields.length ? meta.form_fields : meta.fields.filter((f) => !f.readonly).map((f) => f.name);
  return names.map((name) => findField(meta, name)).filter((field) => !field.readonly);
}

/** The one create/edit form for every object, built from the metadata's form_fields. */
export function RecordFormModal({ meta, record, initialValues, lockedFields = [], onClose, onSaved }: RecordFormModalProps) {
  const { t } = useTranslation();
  const labels = useMetaLabels();
  const toast = useToast();
  const fields = formFields(meta);
  // A lookup that can point at several objects (an activity's what_id) names its type in a sibling field.
  const polymorphic = (meta.extra?.polymorphic ?? {}) as Record<string, string>;
  const typeFields = new Set(Object.values(polymorphic));
  const source: Record<string, unknown> = record ?? initialValues ?? {};
  const [values, setValues] = useState<Record<string, unknown>>(() =>
    Object.fromEntries(fields.map((field) => [field.name, source[field.name] ?? (field.type === "boolean" ? false : null)])),
  );
  const [names, setNames] = useState<Record<string, string | null>>(() =>
    Object.fromEntries(fields.filter((f) => f.display).map((field) => [field.name, (source[field.display as string] as string | null) ?? null])),
  );
  const { errors, formError, setFormError, showError, clear } = useFieldErrors({
    fields: [...fields.map((field) => field.name), ...Object.values(polymorphic)],
    summary: true,
  });
  const update = useUpdateRecord(meta);
  const objectLabel = labels.objectLabel(meta);

  const create = useCreateRecord(meta);

  const busy = create.isPending || update.isPending;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const body: Record<string, unknown> = {};
    for (const field of fields) {
      const value = toApiValue(field.type, values[field.name]);
      if (record) {
        if (value !== toApiValue(field.type, record[field.name])) body[field.name] = value;
      } else if (value !== "" && value !== null) {
        body[field.name] = value;
      }
    }
    try {
      let saved: RecordData;
      if (record) {
        saved = await update.mutateAsync({ id: record.id, version: record.version, changes: body });
        toast.show({ variant: "success", message: t("record.saved", { label: objectLabel, name: recordTitle(meta, saved) }) });
      } else {
        saved = await create.mutateAsync(body);
        toast.show({
          variant: "success",
          message: t("form.created", { label: objectLabel, name: recordTitle(meta, saved) }),
          link: { to: `/o/${meta.name}/${saved.id}`, label: t("common.show") },
        });
      }
      onSaved?.(saved);
      onClose();
    } catch (error) {
      showError(error);
    }
  };

  const title = record ? t("form.editTitle", { label: objectLabel }) : t("form.newTitle", { label: objectLabel });
  const formId = `record-form-${meta.name}`;
  return (
    <Modal title={title} onClose={onClose} footer={<ModalFooter onCancel={onClose} form={formId} busy={busy} />}>
      {formError ? <FormAlert snag>{formError}</FormAlert> : null}
      <form id={formId} noValidate onSubmit={submit}>
        <div className="slds-section slds-is-open">
          <h3 className="slds-section__title slds-theme_shade">
            <span className="slds-truncate slds-p-horizontal_small">{t("form.information")}</span>
          </h3>
          <p className="slds-text-align_right slds-text-body_small slds-m-vertical_x-small">
            <abbr className="slds-required">*</abbr> {t("form.requiredLegend")}
          </p>
          <div className="slds-grid slds-wrap slds-gutters_small">
            {fields
              .filter((field) => !typeFields.has(field.name))
              .map((field) => (
                <div key={field.name} className={`slds-col slds-size_1-of-1 ${field.type === "textarea" ? "" : "slds-medium-size_1-of-2"}`}>
                  {polymorphic[field.name] ? (
                    <PolymorphicFormElement
                      label={labels.fieldLabel(meta, field)}
                      objects={findField(meta, polymorphic[field.name]).options.map((option) => option.toLowerCase())}
                      type={values[polymorphic[field.name]] as string | null}
                      value={values[field.name] as number | null}
                      displayName={names[field.name] ?? null}
                      errors={[...(errors[field.name] ?? []), ...(errors[polymorphic[field.name]] ?? [])]}
                      disabled={lockedFields.includes(field.name) || busy}
                      onChange={(selection) => {
                        setValues((current) => ({
                          ...current,
                          [field.name]: selection?.id ?? null,
                          [polymorphic[field.name]]: selection ? selection.object.charAt(0).toUpperCase() + selection.object.slice(1) : "",
                        }));
                        setNames((current) => ({ ...current, [field.name]: selection?.title ?? null }));
                      }}
                    />
                  ) : (
                    <FieldFormElement
                      field={field}
                      label={labels.fieldLabel(meta, field)}
                      value={values[field.name]}
                      displayName={names[field.name] ?? null}
                      errors={errors[field.name]}
                      disabled={lockedFields.includes(field.name) || busy}
                      onChange={(value, displayName) => {
                        setValues((current) => ({ ...current, [field.name]: value }));
                        if (displayName !== undefined) setNames((current) => ({ ...current, [field.name]: displayName }));
                        clear(field.name);
                      }}
                    />
                  )}
                </div>
              ))}
          </div>
        </div>
      </form>
    </Modal>
  );
}

type PolymorphicFormElementProps = {
  label: string;
  objects: string[];
  type: string | null;
  value: number | null;
  displayName: string | null;
  errors: string[];
  disabled: boolean;
  onChange: (selection: { object: string; id: number; title: string } | null) => void;
};

function PolymorphicFormElement({ label, objects, type, value, displayName, errors, disabled, onChange }: PolymorphicFormElementProps) {
  const { t } = useTranslation();
  const id = useId();
  const selection = type && value !== null && value !== undefined ? { object: type.toLowerCase(), id: value, title: displayName ?? `#${value}` } : null;
  return (
    <FormElement id={id} label={label} errors={errors} className="slds-form-element_stacked">
      {({ invalid, describedBy }) => (
        <RecordSearchLookup
          id={id}
          objects={objects}
          value={selection}
          onChange={onChange}
          placeholder={t("form.lookupPlaceholder", { label })}
          disabled={disabled}
          invalid={invalid}
          describedBy={describedBy}
        />
      )}
    </FormElement>
  );
}
