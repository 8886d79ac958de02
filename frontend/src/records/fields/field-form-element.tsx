import { useId } from "react";
import { FormElement } from "../../components/form-element";
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

/** A metadata field as a form element: its label, the input for its type, help text or the inline error. */
export function FieldFormElement({ field, label, value, displayName, onChange, errors, disabled }: FieldFormElementProps) {
  const id = useId();
  return (
    <FormElement id={id} label={label} required={field.required} help={field.help_text} errors={errors} className="slds-form-element_stacked">
      {({ invalid, describedBy }) => (
        <FieldInput
          field={field}
          id={id}
          label={label}
          value={value}
          displayName={displayName}
          onChange={onChange}
          disabled={disabled}
          invalid={invalid}
          describedBy={describedBy}
        />
      )}
    </FormElement>
  );
}
