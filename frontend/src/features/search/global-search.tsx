import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { Icon, ObjectIcon } from "../../components/icon";
import { searchRecords, type SearchHit } from "../../records/fields/record-search-lookup";
import { useMetaIndex, useMetaLabels } from "../../records/metadata/use-object-meta";

export type SearchGroup = { object: string; hits: SearchHit[] };

/** Hits grouped by object type, in the order the server returned the types. */
export function groupHits(hits: SearchHit[]): SearchGroup[] {
  const groups: SearchGroup[] = [];
  for (const hit of hits) {
    const group = groups.find((candidate) => candidate.object === hit.object);
    if (group) group.hits.push(hit);
    else groups.push({ object: hit.object, hits: [hit] });
  }
  return groups;
}

/** Header search over every object type (GET /search): grouped results, arrow keys to move, Enter to open. */
export function GlobalSearch() {
  const { t } = useTranslation();
  const labels = useMetaLabels();
  const navigate = useNavigate();
  const { data: metaIndex } = useMetaIndex();
  const [term, setTerm] = useState("");
  const [debounced, setDebounced] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);

  useEffect(() => {
    const handle = window.setTimeout(() => setDebounced(term.trim()), 250);
    return () => window.clearTimeout(handle);
  }, [term]);

  const results = useQuery({
    queryKey: ["search", "global", debounced],
    enabled: debounced.length >= 2,
    queryFn: ({ signal }) => searchRecords(debounced, [], signal),
  });
  const groups = groupHits(debounced.length >= 2 ? (results.data?.results ?? []) : []);
  const hits = groups.flatMap((group) => group.hits);
  const showList = open && term.trim().length > 0;

  const openHit = (hit: SearchHit) => {
    setOpen(false);
    setTerm("");
    navigate(`/o/${hit.object}/${hit.id}`);
  };
  const metaFor = (object: string) => metaIndex?.byName[object];
  let position = -1;

  return (
    <div className="slds-form-element crm-global-search">
      <label className="slds-assistive-text" htmlFor="global-search">
        {t("app.searchLabel")}
      </label>
      <div className={`slds-combobox_container ${open ? "slds-has-focus" : ""}`}>
        <div className={`slds-combobox slds-dropdown-trigger slds-dropdown-trigger_click ${showList ? "slds-is-open" : ""}`}>
          <div className="slds-combobox__form-element slds-input-has-icon slds-input-has-icon_left" role="none">
            <Icon category="utility" name="search" className="slds-icon slds-icon_x-small slds-icon-text-default slds-input__icon slds-input__icon_left" />
            <input
              id="global-search"
              type="text"
              role="combobox"
              autoComplete="off"
              aria-autocomplete="list"
              aria-controls="global-search-results"
              aria-expanded={showList}
              aria-activedescendant={showList && hits[active] ? `global-search-option-${active}` : undefined}
              className="slds-input slds-combobox__input"
              placeholder={t("app.searchPlaceholder")}
              value={term}
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
                  setOpen(true);
                  setActive((index) => Math.min(index + 1, hits.length - 1));
                } else if (event.key === "ArrowUp") {
                  event.preventDefault();
                  setActive((index) => Math.max(index - 1, 0));
                } else if (event.key === "Enter" && hits[active]) {
                  event.preventDefault();
                  openHit(hits[active]);
                } else if (event.key === "Escape") {
                  setOpen(false);
                }
              }}
            />
          </div>
          {showList ? (
            <div
              id="global-search-results"
              className="slds-dropdown slds-dropdown_length-10 slds-dropdown_fluid crm-search-results"
              role="listbox"
              aria-label={t("app.searchLabel")}
            >
              {term.trim().length < 2 ? <p className="slds-p-around_small slds-text-color_weak">{t("work.search.typeMore")}</p> : null}
              {term.trim().length >= 2 && hits.length === 0 ? (
                <p className="slds-p-around_small slds-text-color_weak">
                  {results.isFetching || debounced !== term.trim() ? t("work.search.searching") : t("work.search.noResults", { term: debounced })}
                </p>
              ) : null}
              {groups.map((group) => {
                const meta = metaFor(group.object);
                return (
                  <ul
                    key={group.object}
                    className="slds-listbox slds-listbox_vertical"
                    role="group"
                    aria-label={meta ? labels.objectPlural(meta) : group.object}
                  >
                    <li role="presentation" className="slds-listbox__item">
                      <div className="slds-media slds-listbox__option slds-listbox__option_plain" role="presentation">
                        <h3 className="slds-listbox__option-header" role="presentation">
                          {meta ? labels.objectPlural(meta) : group.object}
                        </h3>
                      </div>
                    </li>
                    {group.hits.map((hit) => {
                      position += 1;
                      const index = position;
                      return (
                        <li key={`${hit.object}-${hit.id}`} role="presentation" className="slds-listbox__item">
                          <div
                            id={`global-search-option-${index}`}
                            role="option"
                            aria-selected={index === active}
                            className={`slds-media slds-listbox__option slds-listbox__option_entity slds-listbox__option_has-meta ${index === active ? "slds-has-focus" : ""}`}
                            onMouseEnter={() => setActive(index)}
                            onMouseDown={(event) => {
                              event.preventDefault();
                              openHit(hit);
                            }}
                          >
                            <span className="slds-media__figure slds-listbox__option-icon">
                              <ObjectIcon icon={meta?.icon ?? hit.object} size="small" />
                            </span>
                            <span className="slds-media__body">
                              <span className="slds-listbox__option-text slds-listbox__option-text_entity">{hit.title}</span>
                              <span className="slds-listbox__option-meta slds-listbox__option-meta_entity">
                                {[meta ? labels.objectLabel(meta) : hit.object, hit.subtitle].filter(Boolean).join(" • ")}
                              </span>
                            </span>
                          </div>
                        </li>
                      );
                    })}
                  </ul>
                );
              })}
            </div>
          ) : null}
        </div>
      </div>
    </div>
  );
}
