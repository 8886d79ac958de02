import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Icon, ObjectIcon } from "../../components/icon";
import { api } from "../../lib/api-client";
import { useMetaIndex, useMetaLabels } from "../metadata/use-object-meta";

export type SearchHit = { object: string; id: number; title: string; subtitle: string };
export type SearchSelection = { object: string; id: number; title: string };

export type RecordSearchLookupProps = {
  id: string;
  /** Object names to search across, e.g. ["contact", "lead"]. */
  objects: readonly string[];
  value: SearchSelection | null;
  onChange: (value: SearchSelection | null) => void;
  placeholder: string;
  disabled?: boolean;
  invalid?: boolean;
  describedBy?: string;
};

export function searchRecords(term: string, objects: readonly string[], signal?: AbortSignal) {
  return api.get<{ results: SearchHit[] }>("search", { q: term, objects: objects.join(","), limit: 5 }, signal);
}

/** Lookup over several object types at once (an activity's Related To / Name), through GET /search. */
export function RecordSearchLookup({ id, objects, value, onChange, placeholder, disabled, invalid, describedBy }: RecordSearchLookupProps) {
  const { t } = useTranslation();
  const labels = useMetaLabels();
  const { data: metaIndex } = useMetaIndex();
  const listboxId = useId();
  const [term, setTerm] = useState("");
  const [debounced, setDebounced] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);

  useEffect(() => {
    const handle = window.setTimeout(() => setDebounced(term.trim()), 200);
    return () => window.clearTimeout(handle);
  }, [term]);

  const results = useQuery({
    queryKey: ["search", objects.join(","), debounced],
    enabled: open && debounced.length >= 2,
    queryFn: ({ signal }) => searchRecords(debounced, objects, signal),
  });
  const hits = debounced.length >= 2 ? (results.data?.results ?? []) : [];
  const iconFor = (object: string) => metaIndex?.byName[object]?.icon ?? object;
  const labelFor = (object: string) => {
    const meta = metaIndex?.byName[object];
    return meta ? labels.objectLabel(meta) : object;
  };

  const choose = (hit: SearchHit) => {
    onChange({ object: hit.object, id: hit.id, title: hit.title });
    setTerm("");
    setOpen(false);
  };

  if (value) {
    return (
      <div className="slds-combobox_container slds-has-selection">
        <div className="slds-combobox slds-dropdown-trigger slds-dropdown-trigger_click">
          <div className="slds-combobox__form-element slds-input-has-icon slds-input-has-icon_left-right" role="none">
            <span className="slds-icon_container slds-combobox__input-entity-icon" title={labelFor(value.object)}>
              <ObjectIcon icon={iconFor(value.object)} size="x-small" />
            </span>
            <input
              id={id}
              type="text"
              className="slds-input slds-combobox__input slds-combobox__input-value"
              readOnly
              aria-describedby={describedBy}
              value={value.title}
              disabled={disabled}
            />
            {disabled ? null : (
              <button
                type="button"
                className="slds-button slds-button_icon slds-input__icon slds-input__icon_right"
                title={t("form.lookupClear")}
                onClick={() => onChange(null)}
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

  const showList = open && debounced.length >= 2;
  return (
    <div className="slds-combobox_container">
      <div className={`slds-combobox slds-dropdown-trigger slds-dropdown-trigger_click ${showList ? "slds-is-open" : ""}`}>
        <div className="slds-combobox__form-element slds-input-has-icon slds-input-has-icon_right" role="none">
          <input
            id={id}
            type="text"
            role="combobox"
            autoComplete="off"
            className="slds-input slds-combobox__input"
            aria-autocomplete="list"
            aria-controls={listboxId}
            aria-expanded={showList}
            aria-invalid={invalid || undefined}
            aria-describedby={describedBy}
            aria-activedescendant={showList && hits[active] ? `${listboxId}-${active}` : undefined}
            placeholder={placeholder}
            value={term}
            disabled={disabled}
            onChange={(event) => {
              setTerm(event.target.value);
              setActive(0);
              setOpen(true);
            }}
            onFocus={() => setOpen(true)}
            onBlur={() => window.setTimeout(() => setOpen(false), 150)}
            onKeyDown={(event) => {
              if (event.key === "ArrowDown") {
                event.preventDefault();
                setActive((index) => Math.min(index + 1, hits.length - 1));
              } else if (event.key === "ArrowUp") {
                event.preventDefault();
                setActive((index) => Math.max(index - 1, 0));
              } else if (event.key === "Enter" && showList && hits[active]) {
                event.preventDefault();
                choose(hits[active]);
              } else if (event.key === "Escape" && showList) {
                event.stopPropagation();
                setOpen(false);
              }
            }}
          />
          <span className="slds-icon_container slds-input__icon slds-input__icon_right">
            <Icon category="utility" name="search" className="slds-icon slds-icon_x-small slds-icon-text-default" />
          </span>
        </div>
        {showList ? (
          <div id={listboxId} className="slds-dropdown slds-dropdown_length-with-icon-7 slds-dropdown_fluid" role="listbox">
            <ul className="slds-listbox slds-listbox_vertical" role="presentation">
              {results.isFetching && hits.length === 0 ? (
                <li role="presentation" className="slds-listbox__item">
                  <span className="slds-media slds-listbox__option slds-listbox__option_entity">{t("form.lookupSearching")}</span>
                </li>
              ) : null}
              {!results.isFetching && hits.length === 0 ? (
                <li role="presentation" className="slds-listbox__item">
                  <span className="slds-media slds-listbox__option slds-listbox__option_entity">{t("form.lookupNoResults")}</span>
                </li>
              ) : null}
              {hits.map((hit, index) => (
                <li key={`${hit.object}-${hit.id}`} role="presentation" className="slds-listbox__item">
                  <div
                    id={`${listboxId}-${index}`}
                    role="option"
                    aria-selected={index === active}
                    className={`slds-media slds-listbox__option slds-listbox__option_entity slds-listbox__option_has-meta ${index === active ? "slds-has-focus" : ""}`}
                    onMouseDown={(event) => {
                      event.preventDefault();
                      choose(hit);
                    }}
                  >
                    <span className="slds-media__figure slds-listbox__option-icon">
                      <ObjectIcon icon={iconFor(hit.object)} size="small" />
                    </span>
                    <span className="slds-media__body">
                      <span className="slds-listbox__option-text slds-listbox__option-text_entity">{hit.title}</span>
                      <span className="slds-listbox__option-meta slds-listbox__option-meta_entity">
                        {[labelFor(hit.object), hit.subtitle].filter(Boolean).join(" • ")}
                      </span>
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
