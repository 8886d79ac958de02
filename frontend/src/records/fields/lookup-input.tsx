import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Icon, ObjectIcon } from "../../components/icon";
import { api, type Page } from "../../lib/api-client";
import { recordTitle, useMetaIndex, useMetaLabels } from "../metadata/use-object-meta";
import type { RecordData } from "../metadata/types";

export type LookupInputProps = {
  id: string;
  /** Object the lookup points at ("account", "contact", … or "user"). */
  target: string;
  label: string;
  value: number | null;
  displayName: string | null;
  onChange: (id: number | null, name: string | null) => void;
  disabled?: boolean;
  required?: boolean;
  invalid?: boolean;
  describedBy?: string;
};

type Option = { id: number; name: string };

function useDebounced<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const handle = window.setTimeout(() => setDebounced(value), delayMs);
    return () => window.clearTimeout(handle);
  }, [value, delayMs]);
  return debounced;
}

/** SLDS lookup: searches the target object's list endpoint as the user types. */
export function LookupInput({ id, target, label, value, displayName, onChange, disabled, required, invalid, describedBy }: LookupInputProps) {
  const { t } = useTranslation();
  const { data: metaIndex } = useMetaIndex();
  const labels = useMetaLabels();
  const [term, setTerm] = useState("");
  const [open, setOpen] = useState(false);
  const debounced = useDebounced(term, 200);
  const listboxId = useId();
  const targetMeta = target === "user" ? null : metaIndex?.byName[target];
  const path = target === "user" ? "users" : targetMeta?.api_path;
  const icon = target === "user" ? "user" : (targetMeta?.icon ?? "default");

  const results = useQuery({
    queryKey: ["lookup", target, debounced],
    enabled: open && Boolean(path),
    queryFn: async ({ signal }): Promise<Option[]> => {
      const page = await api.get<Page<RecordData>>(path as string, { search: debounced, page_size: 8 }, signal);
      return page.results.map((row) => ({
        id: row.id,
        name: targetMeta ? recordTitle(targetMeta, row) : String(row.name ?? row.email ?? row.id),
      }));
    },
  });

  if (value !== null && value !== undefined) {
    return (
      <div className="slds-combobox_container slds-has-selection">
        <div className="slds-combobox slds-dropdown-trigger slds-dropdown-trigger_click">
          <div className="slds-combobox__form-element slds-input-has-icon slds-input-has-icon_left-right" role="none">
            <span className="slds-icon_container slds-combobox__input-entity-icon">
              <ObjectIcon icon={icon} size="x-small" />
            </span>
            <input
              id={id}
              type="text"
              className="slds-input slds-combobox__input slds-combobox__input-value"
              readOnly
              aria-required={required}
              aria-describedby={describedBy}
              value={displayName ?? `#${value}`}
              disabled={disabled}
            />
            {disabled ? null : (
              <button
                type="button"
                className="slds-button slds-button_icon slds-input__icon slds-input__icon_right"
                title={t("form.lookupClear")}
                onClick={() => onChange(null, null)}
              >
                <Icon category="utility" name="close" className="slds-button__icon" />
                <span className="slds-assistive-text">{t("form.lookupClear")}</span>
              </button>
            )}
          </div>
        </div>
      </div>
    );
  }

  const options = results.data ?? [];
  return (
    <div className="slds-combobox_container">
      <div className={`slds-combobox slds-dropdown-trigger slds-dropdown-trigger_click ${open ? "slds-is-open" : ""}`}>
        <div className="slds-combobox__form-element slds-input-has-icon slds-input-has-icon_right" role="none">
          <input
            id={id}
            type="text"
            role="combobox"
            autoComplete="off"
            className="slds-input slds-combobox__input"
            aria-autocomplete="list"
            aria-controls={listboxId}
            aria-expanded={open}
            aria-required={required}
            aria-invalid={invalid || undefined}
            aria-describedby={describedBy}
            placeholder={t("form.lookupPlaceholder", { label: targetMeta ? labels.objectPlural(targetMeta) : label })}
            value={term}
            disabled={disabled}
            onChange={(event) => {
              setTerm(event.target.value);
              setOpen(true);
            }}
            onFocus={() => setOpen(true)}
            onBlur={() => window.setTimeout(() => setOpen(false), 150)}
          />
          <span className="slds-icon_container slds-input__icon slds-input__icon_right">
            <Icon category="utility" name="search" className="slds-icon slds-icon_x-small slds-icon-text-default" />
          </span>
        </div>
        {open ? (
          <div id={listboxId} className="slds-dropdown slds-dropdown_length-with-icon-7 slds-dropdown_fluid" role="listbox">
            <ul className="slds-listbox slds-listbox_vertical" role="presentation">
              {results.isFetching && options.length === 0 ? (
                <li role="presentation" className="slds-listbox__item">
                  <span className="slds-media slds-listbox__option slds-listbox__option_entity">{t("form.lookupSearching")}</span>
                </li>
              ) : null}
              {!results.isFetching && options.length === 0 ? (
                <li role="presentation" className="slds-listbox__item">
                  <span className="slds-media slds-listbox__option slds-listbox__option_entity">{t("form.lookupNoResults")}</span>
                </li>
              ) : null}
              {options.map((option) => (
                <li key={option.id} role="presentation" className="slds-listbox__item">
                  <div
                    role="option"
                    aria-selected="false"
                    className="slds-media slds-listbox__option slds-listbox__option_entity slds-listbox__option_has-meta"
                    onMouseDown={(event) => {
                      event.preventDefault();
                      onChange(option.id, option.name);
                      setTerm("");
                      setOpen(false);
                    }}
                  >
                    <span className="slds-media__figure slds-listbox__option-icon">
                      <ObjectIcon icon={icon} size="small" />
                    </span>
                    <span className="slds-media__body">
                      <span className="slds-listbox__option-text slds-listbox__option-text_entity">{option.name}</span>
                    </span>
                  </div>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
    </div>
  );
}
