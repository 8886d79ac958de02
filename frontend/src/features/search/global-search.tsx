import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { Combobox } from "../../components/combobox";
import { useDebouncedValue } from "../../lib/use-debounced-value";
import type { SearchHit } from "../../records/api/lookup-queries";
import { useMetaIndex, useMetaLabels } from "../../records/metadata/use-object-meta";
import { globalSearchQuery } from "./api/search-queries";

/** Header search over every object type (GET /search): grouped results, arrow keys to move, Enter to open. */
export function GlobalSearch() {
  const { t } = useTranslation();
  const labels = useMetaLabels();
  const navigate = useNavigate();
  const { data: metaIndex } = useMetaIndex();
  const [term, setTerm] = useState("");
  const typed = term.trim();
  const debounced = useDebouncedValue(typed, 250);
  const results = useQuery(globalSearchQuery(debounced));
  const groups = debounced.length >= 2 ? (results.data ?? []) : [];
  const metaFor = (object: string) => metaIndex?.byName[object];

  let message: string | null = null;
  if (typed.length < 2) message = t("work.search.typeMore");
  else if (groups.length === 0) {
    message = results.isFetching || debounced !== typed ? t("work.search.searching") : t("work.search.noResults", { term: debounced });
  }

  return (
    <div className="slds-form-element crm-global-search">
      <label className="slds-assistive-text" htmlFor="global-search">
        {t("app.searchLabel")}
      </label>
      <Combobox<SearchHit>
        id="global-search"
        listboxId="global-search-results"
        listLabel={t("app.searchLabel")}
        searchIcon="left"
        dropdownClassName="slds-dropdown_length-10 crm-search-results"
        inputValue={term}
        onInputChange={setTerm}
        canShowList={typed.length > 0}
        placeholder={t("app.searchPlaceholder")}
        message={message}
        groups={groups.map((group) => {
          const meta = metaFor(group.object);
          return {
            key: group.object,
            label: meta ? labels.objectPlural(meta) : group.object,
            items: group.hits.map((hit) => ({
              key: `${hit.object}-${hit.id}`,
              value: hit,
              icon: meta?.icon ?? hit.object,
              title: hit.title,
              meta: [meta ? labels.objectLabel(meta) : hit.object, hit.subtitle].filter(Boolean).join(" • "),
            })),
          };
        })}
        onSelect={(hit) => {
          setTerm("");
          navigate(`/o/${hit.object}/${hit.id}`);
        }}
      />
    </div>
  );
}
