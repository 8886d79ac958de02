import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { FormElement, Select } from "../../components/form-element";
import { tagsQuery } from "./tag-queries";

export type TagFilterProps = {
  id: string;
  value: string;
  onChange: (value: string) => void;
};

/** The list filter "has tag": the organization's tags that are in use, by name. */
export function TagFilter({ id, value, onChange }: TagFilterProps) {
  const { t } = useTranslation();
  const tags = useQuery(tagsQuery());
  const options = (tags.data ?? []).filter((tag) => tag.usage_count || String(tag.id) === value).map((tag) => ({ value: String(tag.id), label: tag.name }));
  if (!options.length && !value) return null;
  return (
    <FormElement id={id} label={t("tags.filter")} className="slds-col crm-list-filter">
      <Select id={id} value={value} onChange={onChange} placeholder={t("list.filterAll")} options={options} />
    </FormElement>
  );
}
