import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { FieldMeta } from "../metadata/types";
import { FieldInput } from "./field-renderers";

export type FieldFormElementProps = {
  field: FieldMeta;
  label: string;
  value: unknown;
  displayName: string | null;
  onChange: (value: unknown, displayName?: string | null) => void;
  errors?: string[];
  disabled?: boolean;
};

/** Label + input + inline error text, the SLDS way (slds-has-error on the form element). */
export function FieldFormElement({ field, label, value, displayName, onChange, errors, disabled }: FieldFormElementProps) {
  const { t } = useTranslation();
  const id = useId();
  const errorId = `${id}-error`;
  const hasError = Boolean(errors && errors.length);
  return (
    <div className={`slds-form-element slds-form-element_stacked ${hasError ? "slds-has-error" : ""}`}>
      <label className="slds-form-element__label" htmlFor={id}>
        {field.required ? (
          <abbr className="slds-required" title={t("common.required")}>
            *{" "}
          </abbr>
        ) : null}
        {label}
      </label>
      <div className="slds-form-element__control">
        <FieldInput
          field={field}
          id={id}
          label={label}
          value={value}
          displayName={displayName}
          onChange={onChange}
          disabled={disabled}
          invalid={hasError}
          describedBy={hasError ? errorId : undefined}
        />
      </div>
      {field.help_text && !hasError ? <div className="slds-form-element__help">{field.help_text}</div> : null}
      {hasError ? (
        <div className="slds-form-element__help" id={errorId}>
          {errors?.join(" ")}
        </div>
      ) : null}
    </div>
  );
}
