import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Checkbox, Select } from "../../components/form-element";
import { useCurrency } from "../../lib/session";
import { useMetaLabels } from "../metadata/use-object-meta";
import type { FieldMeta, FieldType, RecordData } from "../metadata/types";
import { formatCurrency, formatDate, formatDateTime, formatNumber, formatPercent, isEmpty, toDateTimeLocal } from "./format";
import { LookupInput } from "./lookup-input";

export type FieldDisplayProps = { field: FieldMeta; value: unknown; record: RecordData };

export type FieldInputProps = {
  field: FieldMeta;
  id: string;
  label: string;
  value: unknown;
  /** For lookups: the display name of the selected record. */
  displayName: string | null;
  onChange: (value: unknown, displayName?: string | null) => void;
  disabled?: boolean;
  invalid?: boolean;
  describedBy?: string;
};

export type FieldRenderer = {
  Display: (props: FieldDisplayProps) => ReactNode;
  Input: (props: FieldInputProps) => ReactNode;
};

function textInput(type: string, extra: Record<string, string | number> = {}): FieldRenderer["Input"] {
  return function TextLikeInput({ field, id, value, onChange, disabled, invalid, describedBy }: FieldInputProps) {
    return (
      <input
        id={id}
        type={type}
        className="slds-input"
        value={isEmpty(value) ? "" : String(value)}
        maxLength={field.max_length ?? undefined}
        required={field.required}
        disabled={disabled}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        onChange={(event) => onChange(event.target.value)}
        {...extra}
      />
    );
  };
}

function PlainText({ value }: FieldDisplayProps) {
  return <>{String(value)}</>;
}

function LocalisedNumber({ value }: FieldDisplayProps) {
  const { i18n } = useTranslation();
  return <>{formatNumber(value, i18n.language)}</>;
}

function Currency({ value }: FieldDisplayProps) {
  const { i18n } = useTranslation();
  const currency = useCurrency();
  return <>{formatCurrency(value, i18n.language, currency)}</>;
}

function Percent({ value }: FieldDisplayProps) {
  const { i18n } = useTranslation();
  return <>{formatPercent(value, i18n.language)}</>;
}

function DateDisplay({ value }: FieldDisplayProps) {
  const { i18n } = useTranslation();
  return <>{formatDate(value, i18n.language)}</>;
}

function DateTimeDisplay({ value }: FieldDisplayProps) {
  const { i18n } = useTranslation();
  return <>{formatDateTime(value, i18n.language)}</>;
}

function PicklistDisplay({ value }: FieldDisplayProps) {
  const labels = useMetaLabels();
  return <>{labels.option(String(value))}</>;
}

function PicklistInput({ field, id, value, onChange, disabled, invalid, describedBy }: FieldInputProps) {
  const { t } = useTranslation();
  const labels = useMetaLabels();
  return (
    <Select
      id={id}
      value={isEmpty(value) ? "" : String(value)}
      required={field.required}
      disabled={disabled}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      onChange={(next) => onChange(next === "" ? null : next)}
      placeholder={t("form.selectNone")}
      options={field.options.map((option) => ({ value: option, label: labels.option(option) }))}
    />
  );
}

function BooleanDisplay({ value }: FieldDisplayProps) {
  const { t } = useTranslation();
  return (
    <span className="slds-checkbox crm-checkbox-display">
      <input type="checkbox" checked={Boolean(value)} disabled readOnly aria-label={value ? t("common.yes") : t("common.no")} />
      <span className="slds-checkbox_faux" />
    </span>
  );
}

function BooleanInput({ id, label, value, onChange, disabled }: FieldInputProps) {
  return <Checkbox id={id} label={label} labelHidden checked={Boolean(value)} disabled={disabled} onChange={onChange} />;
}

function TextareaInput({ field, id, value, onChange, disabled, invalid, describedBy }: FieldInputProps) {
  return (
    <textarea
      id={id}
      className="slds-textarea"
      rows={3}
      value={isEmpty(value) ? "" : String(value)}
      required={field.required}
      disabled={disabled}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}

function LookupDisplay({ field, value, record }: FieldDisplayProps) {
  const name = field.display ? record[field.display] : null;
  const text = isEmpty(name) ? `#${String(value)}` : String(name);
  // Polymorphic lookups (an activity's what_id) carry their object in the sibling *_type field.
  const linkedType = record[field.name.replace(/_id$/, "_type")];
  const target = field.lookup ?? (typeof linkedType === "string" && linkedType ? linkedType.toLowerCase() : null);
  if (!target || target === "user") return <>{text}</>;
  return <Link to={`/o/${target}/${String(value)}`}>{text}</Link>;
}

function LookupFieldInput({ field, id, label, value, displayName, onChange, disabled, invalid, describedBy }: FieldInputProps) {
  if (!field.lookup) {
    return <input id={id} type="text" className="slds-input" value={displayName ?? ""} disabled readOnly />;
  }
  return (
    <LookupInput
      id={id}
      target={field.lookup}
      label={label}
      value={isEmpty(value) ? null : Number(value)}
      displayName={displayName}
      onChange={(newId, name) => onChange(newId, name)}
      disabled={disabled}
      required={field.required}
      invalid={invalid}
      describedBy={describedBy}
    />
  );
}

/** One renderer per field type: a type the API schema adds (FieldMetaTypeEnum) fails to compile until it is added here. */
export const fieldRenderers: Record<FieldType, FieldRenderer> = {
  text: { Display: PlainText, Input: textInput("text") },
  textarea: {
    Display: ({ value }) => <span className="crm-pre-line">{String(value)}</span>,
    Input: TextareaInput,
  },
  email: {
    Display: ({ value }) => <a href={`mailto:${String(value)}`}>{String(value)}</a>,
    Input: textInput("email"),
  },
  phone: {
    Display: ({ value }) => <a href={`tel:${String(value).replace(/\s+/g, "")}`}>{String(value)}</a>,
    Input: textInput("tel"),
  },
  url: {
    Display: ({ value }) => {
      const address = String(value);
      // Only web addresses become links: a value stored before the API refused other schemes
      // (javascript:, data:, ...) is shown as text and never runs.
      if (!/^https?:\/\//i.test(address)) return <span>{address}</span>;
      return (
        <a href={address} target="_blank" rel="noreferrer noopener">
          {address.replace(/^https?:\/\//i, "")}
        </a>
      );
    },
    Input: textInput("url"),
  },
  picklist: { Display: PicklistDisplay, Input: PicklistInput },
  integer: { Display: LocalisedNumber, Input: textInput("number", { step: 1 }) },
  currency: { Display: Currency, Input: textInput("number", { step: "0.01" }) },
  percent: { Display: Percent, Input: textInput("number", { step: "0.01" }) },
  date: { Display: DateDisplay, Input: textInput("date") },
  datetime: {
    Display: DateTimeDisplay,
    Input: ({ value, onChange, ...rest }) =>
      textInput("datetime-local")({
        ...rest,
        value: toDateTimeLocal(value),
        onChange: (next) => onChange(next ? new Date(String(next)).toISOString() : null),
      }),
  },
  boolean: { Display: BooleanDisplay, Input: BooleanInput },
  lookup: { Display: LookupDisplay, Input: LookupFieldInput },
};

export type FieldValueProps = { field: FieldMeta; record: RecordData };

/** Display a record's field with the renderer for its type (empty values render nothing). */
export function FieldValue({ field, record }: FieldValueProps) {
  const value = record[field.name];
  if (field.type !== "boolean" && isEmpty(value)) return null;
  const renderer = fieldRenderers[field.type] ?? fieldRenderers.text;
  const Display = renderer.Display;
  return <Display field={field} value={value} record={record} />;
}

export type FieldInputElementProps = FieldInputProps;

export function FieldInput(props: FieldInputProps) {
  const renderer = fieldRenderers[props.field.type] ?? fieldRenderers.text;
  const Input = renderer.Input;
  return <Input {...props} />;
}
