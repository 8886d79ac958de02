export type DateFieldProps = {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  required?: boolean;
  type?: "date" | "select";
  options?: { value: string; label: string }[];
};

/** A labelled SLDS date input or picklist with its inline error. */
export function DateField({ id, label, value, onChange, error, required, type = "date", options = [] }: DateFieldProps) {
  return (
    <div className={`slds-form-element slds-m-bottom_small${error ? " slds-has-error" : ""}`}>
      <label className="slds-form-element__label" htmlFor={id}>
        {required ? (
          <abbr className="slds-required" title="*">
            *
          </abbr>
        ) : null}
        {label}
      </label>
      <div className={`slds-form-element__control${type === "select" ? " slds-select_container" : ""}`}>
        {type === "select" ? (
          <select id={id} className="slds-select" value={value} onChange={(event) => onChange(event.target.value)}>
            {options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        ) : (
          <input
            id={id}
            type="date"
            className="slds-input"
            value={value}
            required={required}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            onChange={(event) => onChange(event.target.value)}
          />
        )}
      </div>
      {error ? (
        <div className="slds-form-element__help" id={`${id}-error`}>
          {error}
        </div>
      ) : null}
    </div>
  );
}

export function isoDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
