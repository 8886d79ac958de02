import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Combobox } from "../../components/combobox";
import { useDebouncedValue } from "../../lib/use-debounced-value";
import { searchQuery, type SearchHit, type SearchSelection } from "../api/lookup-queries";
import { useMetaIndex, useMetaLabels } from "../metadata/use-object-meta";

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

/** Lookup over several object types at once (an activity's Related To / Name), through GET /search. */
export function RecordSearchLookup({ id, objects, value, onChange, placeholder, disabled, invalid, describedBy }: RecordSearchLookupProps) {
  const { t } = useTranslation();
  const labels = useMetaLabels();
  const { data: metaIndex } = useMetaIndex();
  const [term, setTerm] = useState("");
  const [open, setOpen] = useState(false);
  const debounced = useDebouncedValue(term.trim(), 200);
  const search = searchQuery(objects, debounced);
  const results = useQuery({ ...search, enabled: open && search.enabled !== false });
  const hits = debounced.length >= 2 ? (results.data?.results ?? []) : [];
  const iconFor = (object: string) => metaIndex?.byName[object]?.icon ?? object;
  const labelFor = (object: string) => {
    const meta = metaIndex?.byName[object];
    return meta ? labels.objectLabel(meta) : object;
  };

  return (
    <Combobox<SearchHit>
      id={id}
      inputValue={term}
      onInputChange={setTerm}
      onOpenChange={setOpen}
      canShowList={debounced.length >= 2}
      groups={[
        {
          key: "results",
          items: hits.map((hit) => ({
            key: `${hit.object}-${hit.id}`,
            value: hit,
            icon: iconFor(hit.object),
            title: hit.title,
            meta: [labelFor(hit.object), hit.subtitle].filter(Boolean).join(" • "),
          })),
        },
      ]}
      onSelect={(hit) => {
        onChange({ object: hit.object, id: hit.id, title: hit.title });
        setTerm("");
      }}
      message={hits.length ? null : results.isFetching ? t("form.lookupSearching") : t("form.lookupNoResults")}
      placeholder={placeholder}
      disabled={disabled}
      invalid={invalid}
      describedBy={describedBy}
      selection={value ? { title: value.title, icon: iconFor(value.object), iconTitle: labelFor(value.object) } : null}
      onClear={() => onChange(null)}
    />
  );
}
