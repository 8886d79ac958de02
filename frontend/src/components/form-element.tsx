import { type ChangeEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Icon } from "./icon";

/** What a control needs to be tied to its label and inline error. */
export type FormControl = {
  id: string;
  invalid: boolean;
  describedBy: string | undefined;
  /** The same as attributes, to spread on a native input, select or textarea. */
  aria: { id: string; "aria-invalid": true | undefined; "aria-describedby": string | undefined };
};

export type FormElementProps = {
  id: string;
  label: ReactNode;
  required?: boolean;
  /** Help text, shown while there is no error. */
  help?: ReactNode;
  /** Inline error messages (from the client's checks or the server's field errors). */
  errors?: readonly string[] | string | null;
  /** Extra classes on the form element (spacing, stacked layout, grid column). */
  className?: string;
  /** Extra classes on the control wrapper (e.g. room for an icon). */
  controlClassName?: string;
  /** The control, or a function that receives the id and aria attributes to put on it. */
  children: ReactNode | ((control: FormControl) => ReactNode);
};

/** SLDS form element: label with required marker, the control, help text or the inline error. */
export function FormElement({ id, label, required, help, errors, className, controlClassName, children }: FormElementProps) {
  const { t } = useTranslation();
  const text = Array.isArray(errors) ? errors.join(" ") : ((errors as string | null | undefined) ?? "");
  const invalid = text !== "";
  const errorId = `${id}-error`;
  const describedBy = invalid ? errorId : undefined;
  const control: FormControl = {
    id,
    invalid,
    describedBy,
    aria: { id, "aria-invalid": invalid || undefined, "aria-describedby": describedBy },
  };
  return (
    <div className={["slds-form-element", className, invalid ? "slds-has-error" : ""].filter(Boolean).join(" ")}>
      <label className="slds-form-element__label" htmlFor={id}>
        {required ? (
          <abbr className="slds-required" title={t("common.required")}>
            *{" "}
          </abbr>
        ) : null}
        {label}
      </label>
      <div className={`slds-form-element__control${controlClassName ? ` ${controlClassName}` : ""}`}>
        {typeof children === "function" ? children(control) : children}
      </div>
      {help && !invalid ? <div className="slds-form-element__help">{help}</div> : null}
      {invalid ? (
        <div className="slds-form-element__help" id={errorId}>
          {text}
        </div>
      ) : null}
    </div>
  );
}

export type SelectOption = { value: string; label: string };

export type SelectProps = {
  id?: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly SelectOption[];
  /** A first, empty choice (e.g. "--None--"). */
  placeholder?: string;
  disabled?: boolean;
  required?: boolean;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
  "aria-label"?: string;
  /** Extra classes on the select container. */
  className?: string;
};

/** SLDS select with its container. */
export function Select({ value, onChange, options, placeholder, className, ...rest }: SelectProps) {
  return (
    <div className={`slds-select_container${className ? ` ${className}` : ""}`}>
      <select className="slds-select" value={value} onChange={(event: ChangeEvent<HTMLSelectElement>) => onChange(event.target.value)} {...rest}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export type CheckboxProps = {
  id: string;
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
  /** Keep the label for screen readers only. */
  labelHidden?: boolean;
};

/** SLDS checkbox: the native input, the styled box and its label. */
export function Checkbox({ id, label, checked, onChange, disabled, labelHidden }: CheckboxProps) {
  return (
    <div className="slds-checkbox">
      <input type="checkbox" id={id} checked={checked} disabled={disabled} onChange={(event) => onChange(event.target.checked)} />
      <label className="slds-checkbox__label" htmlFor={id}>
        <span className="slds-checkbox_faux" />
        <span className={labelHidden ? "slds-assistive-text" : "slds-form-element__label"}>{label}</span>
      </label>
    </div>
  );
}

export type FormAlertProps = {
  children: ReactNode;
  /** Lead with "We hit a snag." as record forms do. */
  snag?: boolean;
  spacing?: "small" | "medium";
};

/** The error banner at the top of a form, for what cannot be shown under a field. */
export function FormAlert({ children, snag, spacing = "medium" }: FormAlertProps) {
  const { t } = useTranslation();
  return (
    <div className={`slds-notify slds-notify_alert slds-alert_error slds-m-bottom_${spacing}`} role="alert">
      {snag ? (
        <h2>
          <strong>{t("form.snag")}</strong> {children}
        </h2>
      ) : (
        children
      )}
    </div>
  );
}

export type ModalFooterProps = {
  onCancel: () => void;
  /** The form the primary button submits; without it the button calls onConfirm. */
  form?: string;
  onConfirm?: () => void;
  busy?: boolean;
  label?: string;
  busyLabel?: string;
};

/** Cancel and a primary button (Save by default, "Saving…" while busy), for a modal's footer. */
export function ModalFooter({ onCancel, form, onConfirm, busy, label, busyLabel }: ModalFooterProps) {
  const { t } = useTranslation();
  return (
    <>
      <button type="button" className="slds-button slds-button_neutral" onClick={onCancel}>
        {t("common.cancel")}
      </button>
      <button type={form ? "submit" : "button"} form={form} className="slds-button slds-button_brand" disabled={busy} onClick={form ? undefined : onConfirm}>
        {busy ? (busyLabel ?? t("common.saving")) : (label ?? t("common.save"))}
      </button>
    </>
  );
}

export type SearchInputProps = {
  id: string;
  label: string;
  /** Keep the label for screen readers only. */
  labelHidden?: boolean;
  placeholder?: string;
  value: string;
  onChange: (value: string) => void;
  className?: string;
};

/** A search box with the magnifier icon, for filtering a list or a table in place. */
export function SearchInput({ id, label, labelHidden, placeholder, value, onChange, className }: SearchInputProps) {
  return (
    <div className={`slds-form-element${className ? ` ${className}` : ""}`}>
      <label className={labelHidden ? "slds-assistive-text" : "slds-form-element__label"} htmlFor={id}>
        {label}
      </label>
      <div className="slds-form-element__control slds-input-has-icon slds-input-has-icon_left">
        <Icon category="utility" name="search" className="slds-icon slds-input__icon slds-input__icon_left slds-icon-text-default" />
        <input id={id} type="search" className="slds-input" placeholder={placeholder} value={value} onChange={(event) => onChange(event.target.value)} />
      </div>
    </div>
  );
}
