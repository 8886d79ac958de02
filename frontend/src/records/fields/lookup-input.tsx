import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Combobox } from "../../components/combobox";
import { useDebouncedValue } from "../../lib/use-debounced-value";
import { lookupQuery, type LookupOption } from "../api/lookup-queries";
import { useMetaIndex, useMetaLabels } from "../metadata/use-object-meta";

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

/** SLDS lookup: searches the target object's list endpoint as the user types. */
export function LookupInput({ id, target, label, value, displayName, onChange, disabled, required, invalid, describedBy }: LookupInputProps) {
  const { t } = useTranslation();
  const { data: metaIndex } = useMetaIndex();
  const labels = useMetaLabels();
  const [term, setTerm] = useState("");
  const [open, setOpen] = useState(false);
  const debounced = useDebouncedValue(term, 200);
  const targetMeta = target === "user" ? undefined : metaIndex?.byName[target];
  const icon = target === "user" ? "user" : (targetMeta?.icon ?? "default");
  const lookup = lookupQuery(target, targetMeta, debounced);
  const results = useQuery({ ...lookup, enabled: open && lookup.enabled !== false });
  const options = results.data ?? [];

  return (
    <Combobox<LookupOption>
      id={id}
      inputValue={term}
      onInputChange={setTerm}
      onOpenChange={setOpen}
      groups={[{ key: "results", items: options.map((option) => ({ key: String(option.id), value: option, icon, title: option.name })) }]}
      onSelect={(option) => {
        onChange(option.id, option.name);
        setTerm("");
      }}
      message={options.length ? null : results.isFetching ? t("form.lookupSearching") : t("form.lookupNoResults")}
      placeholder={t("form.lookupPlaceholder", { label: targetMeta ? labels.objectPlural(targetMeta) : label })}
      disabled={disabled}
      required={required}
      invalid={invalid}
      describedBy={describedBy}
      selection={value !== null && value !== undefined ? { title: displayName ?? `#${value}`, icon } : null}
      onClear={() => onChange(null, null)}
    />
  );
}
