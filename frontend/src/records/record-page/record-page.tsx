import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Suspense, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { Card } from "../../components/card";
import { ConfirmModal } from "../../components/modal";
import { Path } from "../../components/path";
import { Spinner } from "../../components/spinner";
import { useToast } from "../../components/toast";
import { NotFoundPage } from "../../app/routes/not-found-page";
import { ApiError } from "../../lib/api-client";
import { useSession } from "../../lib/session";
import { recordKeys, recordQuery } from "../api/record-queries";
import { useDeactivateRecord, useUpdateRecord } from "../api/use-update-record";
import { RecordFormModal } from "../form/record-form-modal";
import { findField, recordLocked, recordTitle, useMetaIndex, useMetaLabels } from "../metadata/use-object-meta";
import type { ObjectMeta, RecordData } from "../metadata/types";
import { DetailsSection } from "./details-section";
import { HighlightsPanel } from "./highlights-panel";
import { HistoryList } from "./history-list";
import { recordExtension, relatedSection } from "./record-extensions";
import { RelatedList } from "./related-list";
import { TagEditor } from "../tags/tag-editor";
import type { TagRef } from "../tags/tag-queries";

/** Record home for any registered object: highlights, path, details with inline edit, related lists, history. */
export function RecordPage() {
  const { object = "", id = "" } = useParams();
  const { data: metaIndex, isLoading } = useMetaIndex();
  const meta = metaIndex?.byName[object];
  if (isLoading) return <Spinner />;
  if (!meta || !/^\d+$/.test(id)) return <NotFoundPage />;
  const OwnPage = recordExtension(meta.name).page;
  if (OwnPage) {
    return (
      <Suspense fallback={<Spinner />}>
        <OwnPage key={`${meta.name}-${id}`} meta={meta} id={Number(id)} />
      </Suspense>
    );
  }
  return <RecordView key={`${meta.name}-${id}`} meta={meta} id={Number(id)} />;
}

function RecordView({ meta, id }: { meta: ObjectMeta; id: number }) {
  const { t } = useTranslation();
  const labels = useMetaLabels();
  const toast = useToast();
  const queryClient = useQueryClient();
  const { data: user } = useSession();
  const query = useQuery(recordQuery(meta, id));
  const update = useUpdateRecord(meta);
  const deactivate = useDeactivateRecord(meta);
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const record = query.data;
  const title = recordTitle(meta, record);

  useEffect(() => {
    if (title) document.title = `${title} | ${labels.objectLabel(meta)}`;
  }, [title, labels, meta]);

  if (query.isLoading) return <Spinner />;
  if (query.error instanceof ApiError && query.error.status === 404) return <NotFoundPage message={t("record.notFound")} />;
  if (!record) {
    return (
      <div className="slds-p-around_medium slds-text-color_error" role="alert">
        {t("errors.loadFailed")}
      </div>
    );
  }
  const canWrite = !meta.admin_only_write || Boolean(user?.is_admin);
  const canEdit = canWrite && !recordLocked(meta, record);
  const pathField = meta.path_field ? findField(meta, meta.path_field) : null;
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: recordKeys.detail(meta.name, id) });
  };
  const extension = recordExtension(meta.name);
  const extensionProps = { meta, record, canWrite, canEdit, refresh };

  const savePath = async (value: string) => {
    if (!pathField) return;
    try {
      const saved: RecordData = await update.mutateAsync({ id, version: record.version, changes: { [pathField.name]: value } });
      toast.show({ variant: "success", message: t("record.saved", { label: labels.objectLabel(meta), name: recordTitle(meta, saved) }) });
    } catch (error) {
      if (error instanceof ApiError && !error.isConflict && Object.keys(error.fieldErrors).length) {
        toast.show({ variant: "error", message: Object.values(error.fieldErrors).flat().join(" ") || error.message });
      }
    }
  };

  return (
    <div className="crm-page">
      <HighlightsPanel
        meta={meta}
        record={record}
        canWrite={canWrite}
        canEdit={canEdit}
        onEdit={() => setEditing(true)}
        onDeactivate={() => setConfirming(true)}
        actions={extension.actions?.map((Action, index) => (
          <Suspense key={index} fallback={null}>
            <Action {...extensionProps} />
          </Suspense>
        ))}
      />
      {pathField && pathField.options.length ? (
        <div className="slds-card slds-p-around_small crm-path-card">
          <Path
            steps={pathField.options.map((option) => ({ value: option, label: labels.option(option) }))}
            current={(record[pathField.name] as string | null) ?? null}
            disabled={!canEdit || pathField.readonly || update.isPending || record.is_active === false}
            isSelectable={extension.pathSelectable ? (value) => extension.pathSelectable!(record, value) : undefined}
            onSelect={savePath}
          />
        </div>
      ) : null}
      <div className="slds-card slds-p-around_small crm-tags-card">
        <TagEditor meta={meta} recordId={id} tags={(record.tags as TagRef[] | undefined) ?? []} canEdit={canWrite && record.is_active !== false} />
      </div>
      <div className="slds-grid slds-wrap slds-gutters_direct-small crm-record-body">
        <div className="slds-col slds-size_1-of-1 slds-large-size_7-of-12">
          <Card title={t("record.details")} label="" inner>
            <DetailsSection meta={meta} record={record} canWrite={canEdit} />
          </Card>
        </div>
        <div className="slds-col slds-size_1-of-1 slds-large-size_5-of-12">
          {meta.related.map((related) => {
            const Section = relatedSection(related.key);
            return Section ? (
              <Suspense key={`section-${related.key}`} fallback={null}>
                <Section {...extensionProps} />
              </Suspense>
            ) : null;
          })}
          {extension.sections?.map((Section, index) => (
            <Suspense key={index} fallback={null}>
              <Section {...extensionProps} />
            </Suspense>
          ))}
          {meta.related
            .filter((related) => !relatedSection(related.key))
            .filter((related) => !extension.hiddenRelated?.some((name) => name === related.key || name === related.object))
            .map((related) => (
              <RelatedList key={`${related.object}-${related.field}`} parentMeta={meta} parent={record} related={related} onChanged={refresh} />
            ))}
          <HistoryList meta={meta} id={id} />
        </div>
      </div>
      {editing ? <RecordFormModal meta={meta} record={record} onClose={() => setEditing(false)} /> : null}
      {confirming ? (
        <ConfirmModal
          title={t("record.deactivateTitle", { label: labels.objectLabel(meta) })}
          body={t("record.deactivateBody", { name: title })}
          confirmLabel={t("common.deactivate")}
          destructive
          busy={deactivate.isPending}
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            try {
              const saved = await deactivate.mutateAsync({ id, version: record.version });
              toast.show({ variant: "success", message: t("record.deactivated", { label: labels.objectLabel(meta), name: recordTitle(meta, saved) }) });
            } catch {
              // The mutation shows its own error toast.
            }
            setConfirming(false);
          }}
        />
      ) : null}
    </div>
  );
}
