import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmModal } from "../../components/modal";
import { PageHeader } from "../../components/page-header";
import { Spinner } from "../../components/spinner";
import { RowHeader, Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { errorText } from "../../lib/api-client";
import { formatNumber } from "../../records/fields/format";
import { TagPill } from "../../records/tags/tag-pill";
import { tagsQuery, useDeleteTag, useSaveTag, type Tag } from "../../records/tags/tag-queries";
import { AdminGuard } from "../admin/admin-guard";
import { SetupNav } from "../admin/setup-nav";

/** Setup › Tags: every tag of the organization with its usage; rename, recolour, delete. */
export function TagsAdminPage() {
  return (
    <AdminGuard>
      <TagsAdmin />
    </AdminGuard>
  );
}

export function TagsAdmin() {
  const { t } = useTranslation();
  const tags = useQuery(tagsQuery());
  const [deleting, setDeleting] = useState<Tag | null>(null);
  const remove = useDeleteTag();
  const toast = useToast();
  const rows = tags.data ?? [];

  useEffect(() => {
    document.title = `${t("tags.admin.title")} | ${t("work.admin.setup")}`;
  }, [t]);

  return (
    <div className="crm-page">
      <PageHeader icon="topic" meta={t("work.admin.setup")} title={t("tags.admin.title")} />
      <SetupNav />
      <div className="slds-card">
        <div className="slds-card__header">
          <p className="slds-text-color_weak">{t("tags.admin.intro")}</p>
        </div>
        {tags.isLoading ? <Spinner /> : null}
        <Table
          className="crm-card-table"
          label={t("tags.admin.title")}
          columns={[
            { key: "tag", label: t("tags.admin.tag") },
            { key: "name", label: t("tags.admin.name") },
            { key: "colour", label: t("tags.admin.colour") },
            { key: "usage", label: t("tags.admin.usage"), align: "right" },
            { key: "actions", label: t("common.actions"), labelHidden: true },
          ]}
        >
          {rows.map((tag) => (
            <TagRow key={`${tag.id}-${tag.name}-${tag.colour}`} tag={tag} onDelete={() => setDeleting(tag)} />
          ))}
        </Table>
        {!tags.isLoading && rows.length === 0 ? <p className="slds-p-around_medium slds-text-color_weak">{t("tags.admin.empty")}</p> : null}
      </div>
      {deleting ? (
        <ConfirmModal
          title={t("tags.admin.deleteTitle", { name: deleting.name })}
          body={t("tags.admin.deleteBody", { name: deleting.name, count: deleting.usage_count })}
          confirmLabel={t("tags.admin.delete")}
          destructive
          busy={remove.isPending}
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            try {
              await remove.mutateAsync(deleting.id);
              toast.show({ variant: "success", message: t("tags.admin.deleted", { name: deleting.name }) });
            } catch (error) {
              toast.show({ variant: "error", message: errorText(error, t("tags.failed")) });
            }
            setDeleting(null);
          }}
        />
      ) : null}
    </div>
  );
}

function TagRow({ tag, onDelete }: { tag: Tag; onDelete: () => void }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const save = useSaveTag();
  const [name, setName] = useState(tag.name);
  const [colour, setColour] = useState(tag.colour ?? "#706e6b");
  const [error, setError] = useState("");
  const changed = name.trim() !== tag.name || colour !== tag.colour;
  const submit = async () => {
    setError("");
    try {
      const saved = await save.mutateAsync({ id: tag.id, changes: { name, colour } });
      toast.show({ variant: "success", message: t("tags.admin.saved", { name: saved.name }) });
    } catch (failure) {
      setError(errorText(failure, t("tags.failed")));
    }
  };
  const nameId = `tag-${tag.id}-name`;
  return (
    <tr className="slds-hint-parent">
      <RowHeader title={tag.name}>
        <TagPill tag={{ id: tag.id, name: tag.name, colour: tag.colour ?? "#706e6b" }} />
      </RowHeader>
      <td data-label={t("tags.admin.name")}>
        <div className={`slds-form-element${error ? " slds-has-error" : ""}`}>
          <label className="slds-assistive-text" htmlFor={nameId}>
            {t("tags.admin.nameOf", { name: tag.name })}
          </label>
          <input
            id={nameId}
            className="slds-input"
            value={name}
            maxLength={64}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${nameId}-error` : undefined}
            onChange={(event) => setName(event.target.value)}
          />
          {error ? (
            <div className="slds-form-element__help" id={`${nameId}-error`}>
              {error}
            </div>
          ) : null}
        </div>
      </td>
      <td data-label={t("tags.admin.colour")}>
        <label className="slds-assistive-text" htmlFor={`tag-${tag.id}-colour`}>
          {t("tags.admin.colourOf", { name: tag.name })}
        </label>
        <input id={`tag-${tag.id}-colour`} type="color" className="crm-colour-input" value={colour} onChange={(event) => setColour(event.target.value)} />
      </td>
      <td className="slds-text-align_right">{formatNumber(tag.usage_count, i18n.language)}</td>
      <td className="slds-text-align_right">
        <div className="slds-button-group" role="group">
          <button type="button" className="slds-button slds-button_brand" disabled={!changed || save.isPending} onClick={() => void submit()}>
            {t("common.save")}
          </button>
          <button type="button" className="slds-button slds-button_text-destructive slds-button_neutral" onClick={onDelete}>
            {t("tags.admin.delete")}
          </button>
        </div>
      </td>
    </tr>
  );
}
