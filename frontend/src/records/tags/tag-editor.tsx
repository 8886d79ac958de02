import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Combobox, type ComboboxGroup } from "../../components/combobox";
import { useToast } from "../../components/toast";
import { errorText } from "../../lib/api-client";
import type { ObjectMeta } from "../metadata/types";
import { TagPill } from "./tag-pill";
import { tagsQuery, useRecordTags, type TagRef } from "./tag-queries";

export type TagEditorProps = {
  meta: ObjectMeta;
  recordId: number;
  tags: TagRef[];
  /** The user may change the record (else the pills are read-only). */
  canEdit: boolean;
};

type Choice = { kind: "existing"; id: number } | { kind: "new"; name: string };

/** A record's tags: pills with an x to remove, and a combobox that adds an existing tag or makes a new one. */
export function TagEditor({ meta, recordId, tags, canEdit }: TagEditorProps) {
  const { t } = useTranslation();
  const toast = useToast();
  const inputId = useId();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const all = useQuery({ ...tagsQuery(), enabled: canEdit && open });
  const { add, remove } = useRecordTags(meta, recordId);
  const typed = text.trim().replace(/\s+/g, " ");
  const carried = new Set(tags.map((tag) => tag.id));
  const matches = (all.data ?? []).filter((tag) => !carried.has(tag.id) && tag.name.toLowerCase().includes(typed.toLowerCase())).slice(0, 8);
  const exact = (all.data ?? []).some((tag) => tag.name.toLowerCase() === typed.toLowerCase());
  const groups: ComboboxGroup<Choice>[] = [
    {
      key: "tags",
      items: [
        ...matches.map((tag) => ({ key: `tag-${tag.id}`, value: { kind: "existing", id: tag.id } as Choice, icon: "topic", title: tag.name })),
        ...(typed && !exact ? [{ key: "new", value: { kind: "new", name: typed } as Choice, icon: "topic", title: t("tags.create", { name: typed }) }] : []),
      ],
    },
  ];
  const choose = async (choice: Choice) => {
    setText("");
    try {
      await add.mutateAsync(choice.kind === "existing" ? choice.id : choice.name);
    } catch (error) {
      toast.show({ variant: "error", message: errorText(error, t("tags.failed")) });
    }
  };
  const takeOff = async (tag: TagRef) => {
    try {
      await remove.mutateAsync(tag.id);
    } catch (error) {
      toast.show({ variant: "error", message: errorText(error, t("tags.failed")) });
    }
  };
  return (
    <div className="crm-tag-editor">
      <span className="slds-form-element__label crm-tag-editor__label" id={`${inputId}-label`}>
        {t("tags.label")}
      </span>
      <ul className="slds-listbox slds-listbox_horizontal crm-tag-editor__pills" aria-labelledby={`${inputId}-label`}>
        {tags.map((tag) => (
          <li key={tag.id} className="slds-listbox-item">
            <TagPill tag={tag} disabled={remove.isPending} onRemove={canEdit ? () => void takeOff(tag) : undefined} />
          </li>
        ))}
        {!tags.length ? <li className="slds-text-color_weak crm-tag-editor__none">{t("tags.none")}</li> : null}
      </ul>
      {canEdit ? (
        <div className="crm-tag-editor__add">
          <label className="slds-assistive-text" htmlFor={inputId}>
            {t("tags.add")}
          </label>
          <Combobox<Choice>
            id={inputId}
            inputValue={text}
            onInputChange={setText}
            groups={groups}
            onSelect={(choice) => void choose(choice)}
            onOpenChange={setOpen}
            placeholder={t("tags.addPlaceholder")}
            listLabel={t("tags.add")}
            disabled={add.isPending}
            message={all.isLoading ? t("common.loading") : !groups[0].items.length ? t("tags.typeToCreate") : undefined}
            dropdownClassName="slds-dropdown_length-with-icon-5"
          />
        </div>
      ) : null}
    </div>
  );
}
