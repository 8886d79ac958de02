import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { Icon, ObjectIcon } from "../components/icon";
import { api, type Page } from "../lib/api-client";
import { recordTitle, useMetaIndex, useMetaLabels } from "../records/metadata/use-object-meta";
import type { RecordData } from "../records/metadata/types";

const SEARCH_OBJECTS = ["account", "contact"];

type Hit = { object: string; id: number; title: string; icon: string; objectLabel: string };

/** Header search: accounts and contacts through their list endpoints' ?search=, opens the chosen record. */
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

  const metas = SEARCH_OBJECTS.map((name) => metaIndex?.byName[name]).filter((meta) => meta !== undefined);
  const results = useQuery({
    queryKey: ["global-search", debounced, metas.map((meta) => meta.name)],
    enabled: debounced.length >= 2 && metas.length > 0,
    queryFn: async ({ signal }): Promise<Hit[]> => {
      const pages = await Promise.all(
        metas.map((meta) => api.get<Page<RecordData>>(meta.api_path, { search: debounced, page_size: 5 }, signal)),
      );
      return pages.flatMap((page, index) =>
        page.results.map((row) => ({
          object: metas[index].name,
          id: row.id,
          title: recordTitle(metas[index], row),
          icon: metas[index].icon,
          objectLabel: labels.objectLabel(metas[index]),
        })),
      );
    },
  });
  const hits = results.data ?? [];

  const openHit = (hit: Hit) => {
    setOpen(false);
    setTerm("");
    navigate(`/o/${hit.object}/${hit.id}`);
  };

  return (
    <div className="slds-form-element crm-global-search">
      <label className="slds-assistive-text" htmlFor="global-search">
        {t("app.searchLabel")}
      </label>
      <div className={`slds-combobox_container ${open ? "slds-has-focus" : ""}`}>
        <div className={`slds-combobox slds-dropdown-trigger slds-dropdown-trigger_click ${open && debounced.length >= 2 ? "slds-is-open" : ""}`}>
          <div className="slds-combobox__form-element slds-input-has-icon slds-input-has-icon_left" role="none">
            <Icon category="utility" name="search" className="slds-icon slds-icon_x-small slds-icon-text-default slds-input__icon slds-input__icon_left" />
            <input
              id="global-search"
              type="text"
              role="combobox"
              autoComplete="off"
              aria-autocomplete="list"
              aria-controls="global-search-results"
              aria-expanded={open && debounced.length >= 2}
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
                if (event.key === "ArrowDown") setActive((index) => Math.min(index + 1, hits.length - 1));
                if (event.key === "ArrowUp") setActive((index) => Math.max(index - 1, 0));
                if (event.key === "Enter" && hits[active]) openHit(hits[active]);
                if (event.key === "Escape") setOpen(false);
              }}
            />
          </div>
          {open && debounced.length >= 2 ? (
            <div id="global-search-results" className="slds-dropdown slds-dropdown_length-with-icon-7 slds-dropdown_fluid" role="listbox">
              <ul className="slds-listbox slds-listbox_vertical" role="presentation">
                {hits.map((hit, index) => (
                  <li key={`${hit.object}-${hit.id}`} role="presentation" className="slds-listbox__item">
                    <div
                      role="option"
                      aria-selected={index === active}
                      className={`slds-media slds-listbox__option slds-listbox__option_entity slds-listbox__option_has-meta ${index === active ? "slds-has-focus" : ""}`}
                      onMouseDown={(event) => {
                        event.preventDefault();
                        openHit(hit);
                      }}
                    >
                      <span className="slds-media__figure slds-listbox__option-icon">
                        <ObjectIcon icon={hit.icon} size="small" />
                      </span>
                      <span className="slds-media__body">
                        <span className="slds-listbox__option-text slds-listbox__option-text_entity">{hit.title}</span>
                        <span className="slds-listbox__option-meta slds-listbox__option-meta_entity">{hit.objectLabel}</span>
                      </span>
                    </div>
                  </li>
                ))}
                {!results.isFetching && hits.length === 0 ? (
                  <li role="presentation" className="slds-listbox__item">
                    <span className="slds-media slds-listbox__option slds-listbox__option_plain">{t("app.searchNoResults", { term: debounced })}</span>
                  </li>
                ) : null}
              </ul>
            </div>
          ) : null}
        </div>
      </div>
    </div>
  );
}
