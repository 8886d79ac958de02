import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Icon, ObjectIcon } from "./icon";

export type ComboboxItem<T> = {
  key: string;
  value: T;
  /** Standard icon of the option's object. */
  icon: string;
  title: string;
  /** Second, muted line (object type, subtitle). */
  meta?: string;
};

export type ComboboxGroup<T> = {
  key: string;
  /** Group heading; the options stand on their own when omitted. */
  label?: string;
  items: ComboboxItem<T>[];
};

export type ComboboxSelection = { title: string; icon: string; iconTitle?: string };

export type ComboboxProps<T> = {
  id: string;
  /** The text typed so far. */
  inputValue: string;
  onInputChange: (text: string) => void;
  groups: ComboboxGroup<T>[];
  onSelect: (value: T) => void;
  /** A line shown above the options (searching, no results, type more). */
  message?: ReactNode;
  /** Whether the list may open for what is typed (e.g. at least two characters); it opens on focus otherwise. */
  canShowList?: boolean;
  /** Tells the owner the list opened or closed (e.g. to start searching only then). */
  onOpenChange?: (open: boolean) => void;
  placeholder?: string;
  disabled?: boolean;
  required?: boolean;
  invalid?: boolean;
  describedBy?: string;
  /** A chosen record: shown read-only with its icon and a clear button instead of the search. */
  selection?: ComboboxSelection | null;
  onClear?: () => void;
  /** Where the search icon sits. */
  searchIcon?: "left" | "right";
  /** Accessible name of the list. */
  listLabel?: string;
  listboxId?: string;
  /** Height and extra classes of the dropdown. */
  dropdownClassName?: string;
};

/**
 * The one SLDS combobox: a text input that searches, a listbox of (optionally grouped) entity options,
 * arrow keys to move, Enter to choose, Escape to close, and aria-activedescendant for screen readers.
 * Lookups, the record search and the header search are all built on it.
 */
export function Combobox<T>({
  id,
  inputValue,
  onInputChange,
  groups,
  onSelect,
  message,
  canShowList = true,
  onOpenChange,
  placeholder,
  disabled,
  required,
  invalid,
  describedBy,
  selection,
  onClear,
  searchIcon = "right",
  listLabel,
  listboxId: givenListboxId,
  dropdownClassName = "slds-dropdown_length-with-icon-7",
}: ComboboxProps<T>) {
  const { t } = useTranslation();
  const generatedId = useId();
  const listboxId = givenListboxId ?? `${generatedId}-listbox`;
  const [open, setOpenState] = useState(false);
  const [active, setActive] = useState(0);
  // Closing after a blur waits for a click on an option; focusing again before then keeps the list.
  const blurTimer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(blurTimer.current), []);
  const items = groups.flatMap((group) => group.items);
  const showList = open && canShowList;

  const setOpen = (next: boolean) => {
    setOpenState(next);
    onOpenChange?.(next);
  };
  const choose = (item: ComboboxItem<T>) => {
    onSelect(item.value);
    setOpen(false);
  };

  if (selection) {
    return (
      <div className="slds-combobox_container slds-has-selection">
        <div className="slds-combobox slds-dropdown-trigger slds-dropdown-trigger_click">
          <div className="slds-combobox__form-element slds-input-has-icon slds-input-has-icon_left-right" role="none">
            <span className="slds-icon_container slds-combobox__input-entity-icon" title={selection.iconTitle}>
              <ObjectIcon icon={selection.icon} size="x-small" />
            </span>
            <input
              id={id}
              type="text"
              className="slds-input slds-combobox__input slds-combobox__input-value"
              readOnly
              aria-required={required}
              aria-describedby={describedBy}
              value={selection.title}
              disabled={disabled}
            />
            {disabled || !onClear ? null : (
              <button
                type="button"
                className="slds-button slds-button_icon slds-input__icon slds-input__icon_right"
                title={t("form.lookupClear")}
                onClick={onClear}
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

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open) setOpen(true);
      setActive((index) => Math.min(index + 1, items.length - 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((index) => Math.max(index - 1, 0));
    } else if (event.key === "Enter" && showList && items[active]) {
      event.preventDefault();
      choose(items[active]);
    } else if (event.key === "Escape" && showList) {
      // Close the list only, not the dialog the combobox sits in.
      event.stopPropagation();
      setOpen(false);
    }
  };

  let position = -1;
  return (
    <div className={`slds-combobox_container${open ? " slds-has-focus" : ""}`}>
      <div className={`slds-combobox slds-dropdown-trigger slds-dropdown-trigger_click${showList ? " slds-is-open" : ""}`}>
        <div className={`slds-combobox__form-element slds-input-has-icon slds-input-has-icon_${searchIcon}`} role="none">
          {searchIcon === "left" ? (
            <Icon category="utility" name="search" className="slds-icon slds-icon_x-small slds-icon-text-default slds-input__icon slds-input__icon_left" />
          ) : null}
          <input
            id={id}
            type="text"
            role="combobox"
            autoComplete="off"
            className="slds-input slds-combobox__input"
            aria-autocomplete="list"
            aria-controls={listboxId}
            aria-expanded={showList}
            aria-required={required}
            aria-invalid={invalid || undefined}
            aria-describedby={describedBy}
            aria-activedescendant={showList && items[active] ? `${listboxId}-${active}` : undefined}
            placeholder={placeholder}
            value={inputValue}
            disabled={disabled}
            onChange={(event) => {
              onInputChange(event.target.value);
              setActive(0);
              setOpen(true);
            }}
            onFocus={() => {
              window.clearTimeout(blurTimer.current);
              setOpen(true);
            }}
            onBlur={() => {
              blurTimer.current = window.setTimeout(() => setOpen(false), 150);
            }}
            onKeyDown={onKeyDown}
          />
          {searchIcon === "right" ? (
            <span className="slds-icon_container slds-input__icon slds-input__icon_right">
              <Icon category="utility" name="search" className="slds-icon slds-icon_x-small slds-icon-text-default" />
            </span>
          ) : null}
        </div>
        {showList ? (
          <div id={listboxId} className={`slds-dropdown slds-dropdown_fluid ${dropdownClassName}`} role="listbox" aria-label={listLabel}>
            {message ? (
              <ul className="slds-listbox slds-listbox_vertical" role="presentation">
                <li role="presentation" className="slds-listbox__item">
                  <span className="slds-media slds-listbox__option slds-listbox__option_entity">{message}</span>
                </li>
              </ul>
            ) : null}
            {groups.map((group) => (
              <ul key={group.key} className="slds-listbox slds-listbox_vertical" role={group.label ? "group" : "presentation"} aria-label={group.label}>
                {group.label ? (
                  <li role="presentation" className="slds-listbox__item">
                    <div className="slds-media slds-listbox__option slds-listbox__option_plain" role="presentation">
                      <h3 className="slds-listbox__option-header" role="presentation">
                        {group.label}
                      </h3>
                    </div>
                  </li>
                ) : null}
                {group.items.map((item) => {
                  position += 1;
                  const index = position;
                  return (
                    <li key={item.key} role="presentation" className="slds-listbox__item">
                      <div
                        id={`${listboxId}-${index}`}
                        role="option"
                        aria-selected={index === active}
                        className={`slds-media slds-listbox__option slds-listbox__option_entity slds-listbox__option_has-meta${index === active ? " slds-has-focus" : ""}`}
                        onMouseEnter={() => setActive(index)}
                        onMouseDown={(event) => {
                          event.preventDefault();
                          choose(item);
                        }}
                      >
                        <span className="slds-media__figure slds-listbox__option-icon">
                          <ObjectIcon icon={item.icon} size="small" />
                        </span>
                        <span className="slds-media__body">
                          <span className="slds-listbox__option-text slds-listbox__option-text_entity">{item.title}</span>
                          {item.meta ? <span className="slds-listbox__option-meta slds-listbox__option-meta_entity">{item.meta}</span> : null}
                        </span>
                      </div>
                    </li>
                  );
                })}
              </ul>
            ))}
          </div>
        ) : null}
      </div>
    </div>
  );
}
