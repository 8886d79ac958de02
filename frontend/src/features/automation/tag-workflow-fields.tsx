import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { FormElement, Select } from "../../components/form-element";
import { tagsQuery } from "../../records/tags/tag-queries";

type Json = Record<string, unknown>;

/** The "tag added" trigger's parameter: one tag, or any tag when none is picked. */
export function TagTriggerFields({ trigger, onChange, errors }: { trigger: Json; onChange: (trigger: Json) => void; errors?: string[] }) {
  const { t } = useTranslation();
  const tags = useQuery(tagsQuery());
  return (
    <FormElement id="wfb-trigger-tag" label={t("automation.workflows.tagToAdd")} errors={errors}>
      {(control) => (
        <Select
          id={control.id}
          value={trigger.tag_id ? String(trigger.tag_id) : ""}
          placeholder={t("automation.workflows.tagAnyTag")}
          onChange={(value) => onChange(value ? { type: "tag_added", tag_id: Number(value) } : { type: "tag_added" })}
          options={(tags.data ?? []).map((tag) => ({ value: String(tag.id), label: tag.name }))}
        />
      )}
    </FormElement>
  );
}

/** The "add a tag" step's configuration: the tag to put on the record. */
export function AddTagStepFields({ id, step, onChange, errors }: { id: string; step: Json; onChange: (changes: Json) => void; errors?: string[] }) {
  const { t } = useTranslation();
  const tags = useQuery(tagsQuery());
  return (
    <FormElement id={`${id}-tag`} label={t("automation.workflows.tagToAdd")} errors={errors}>
      {(control) => (
        <Select
          id={control.id}
          value={step.tag_id ? String(step.tag_id) : ""}
          placeholder="--"
          onChange={(value) => onChange({ tag_id: value ? Number(value) : null })}
          options={(tags.data ?? []).map((tag) => ({ value: String(tag.id), label: tag.name }))}
        />
      )}
    </FormElement>
  );
}
