import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Modal } from "../../components/modal";
import { useToast } from "../../components/toast";
import { ApiError, api } from "../../lib/api-client";
import { recordKeys } from "../api/record-queries";
import { useUpdateRecord } from "../api/use-update-record";
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
  const queryClient = useQueryClient();
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
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const update = useUpdateRecord(meta);
  const objectLabel = labels.objectLabel(meta);

  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<RecordData>(meta.api_path, body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: recordKeys.all(meta.name) });
    },
  });

  const busy = create.isPending || update.isPending;

  const handleError = (error: unknown) => {
    if (error instanceof ApiError) {
      const fieldNames = new Set(fields.map((field) => field.name));
      const inline: Record<string, string[]> = {};
      const other: string[] = [];
      for (const [name, messages] of Object.entries(error.fieldErrors)) {
        const target = fieldNames.has(name) ? name : fieldNames.has(`${name}_id`) ? `${name}_id` : null;
        if (target) inline[target] = messages;
        else other.push(...messages);
      }
      setErrors(inline);
      if (error.isConflict) {
        setFormError(t("errors.conflict"));
      } else {
        setFormError(other.length ? other.join(" ") : Object.keys(inline).length ? t("form.reviewErrors") : error.message);
      }
    } else {
      setErrors({});
      setFormError(t("errors.generic"));
    }
  };

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
      handleError(error);
    }
  };

  const title = record ? t("form.editTitle", { label: objectLabel }) : t("form.newTitle", { label: objectLabel });
  const formId = `record-form-${meta.name}`;
  return (
    <Modal
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="slds-button slds-button_neutral" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" form={formId} className="slds-button slds-button_brand" disabled={busy}>
            {busy ? t("common.saving") : t("common.save")}
          </button>
        </>
      }
    >
      {formError ? (
        <div className="slds-notify slds-notify_alert slds-alert_error slds-m-bottom_medium" role="alert">
          <h2>
            <strong>{t("form.snag")}</strong> {formError}
          </h2>
        </div>
      ) : null}
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
                        if (errors[field.name]) setErrors(({ [field.name]: _removed, ...rest }) => rest);
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
    <div className={`slds-form-element slds-form-element_stacked ${errors.length ? "slds-has-error" : ""}`}>
      <label className="slds-form-element__label" htmlFor={id}>
        {label}
      </label>
      <div className="slds-form-element__control">
        <RecordSearchLookup
          id={id}
          objects={objects}
          value={selection}
          onChange={onChange}
          placeholder={t("form.lookupPlaceholder", { label })}
          disabled={disabled}
          invalid={errors.length > 0}
          describedBy={errors.length ? `${id}-error` : undefined}
        />
      </div>
      {errors.length ? (
        <div className="slds-form-element__help" id={`${id}-error`}>
          {errors.join(" ")}
        </div>
      ) : null}
    </div>
  );
}
