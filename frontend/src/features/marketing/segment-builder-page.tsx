import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Card, CardEmpty } from "../../components/card";
import { FormAlert, FormElement, Select } from "../../components/form-element";
import { PageHeader } from "../../components/page-header";
import { Spinner } from "../../components/spinner";
import { RowHeader, Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { NotFoundPage } from "../../app/routes/not-found-page";
import { ApiError, api } from "../../lib/api-client";
import { useDebouncedValue } from "../../lib/use-debounced-value";
import { useFieldErrors } from "../../lib/use-field-errors";
import { useSession } from "../../lib/session";
import { recordKeys } from "../../records/api/record-queries";
import { formatNumber } from "../../records/fields/format";
import { findField, useMetaLabels } from "../../records/metadata/use-object-meta";
import type { RecordPageProps } from "../../records/record-page/record-extensions";
import { evaluateQuery, marketingKeys, segmentFieldsQuery, segmentQuery, type Segment, type SegmentTarget } from "./api/marketing-queries";
import { ConditionGroup } from "./segment-conditions";
import { conditionCount, definitionOf, draftOf, type GroupDraft } from "./segment-definition";
import "./marketing.css";

const TARGETS: SegmentTarget[] = ["contacts", "leads", "both"];
const FIELDS = ["name", "target", "description", "definition"] as const;

type Draft = { name: string; target: SegmentTarget; description: string; group: GroupDraft };

function draftFrom(segment: Segment): Draft {
  return { name: segment.name, target: segment.target ?? "contacts", description: segment.description ?? "", group: draftOf(segment.definition) };
}

/** A segment's page: who it covers, its conditions, and the live count with the first matching people. */
export function SegmentBuilderPage({ meta, id }: RecordPageProps) {
  const { t, i18n } = useTranslation();
  const labels = useMetaLabels();
  const toast = useToast();
  const queryClient = useQueryClient();
  const { data: user } = useSession();
  const segment = useQuery(segmentQuery(id));
  const fields = useQuery(segmentFieldsQuery());
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saving, setSaving] = useState(false);
  const { errors, formError, showError, clear } = useFieldErrors({ fields: FIELDS });
  const canWrite = !meta.admin_only_write || Boolean(user?.is_admin);
  const loaded = segment.data;

  useEffect(() => {
    if (loaded) setDraft(draftFrom(loaded));
  }, [loaded?.id, loaded?.version]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (loaded) document.title = `${loaded.name} | ${labels.objectLabel(meta)}`;
  }, [loaded, labels, meta]);

  const definition = useMemo(() => (draft ? definitionOf(draft.group, fields.data) : null), [draft, fields.data]);
  // The count follows the conditions as they are edited, once typing pauses.
  const live = useDebouncedValue(draft && definition ? { target: draft.target, definition } : null, 350);
  const result = useQuery({ ...evaluateQuery(live?.target ?? "contacts", live?.definition ?? {}), enabled: Boolean(live) && fields.isSuccess });
  const liveError = result.error instanceof ApiError ? (result.error.fieldErrors.definition?.join(" ") ?? result.error.message) : "";

  if (segment.isLoading) return <Spinner />;
  if (segment.error instanceof ApiError && segment.error.status === 404) return <NotFoundPage message={t("record.notFound")} />;
  if (!loaded || !draft || !definition) {
    return (
      <div className="slds-p-around_medium slds-text-color_error" role="alert">
        {t("errors.loadFailed")}
      </div>
    );
  }
  const saved = draftFrom(loaded);
  const dirty =
    draft.name !== saved.name ||
    draft.target !== saved.target ||
    draft.description !== saved.description ||
    JSON.stringify(definition) !== JSON.stringify(definitionOf(saved.group, fields.data));
  const tooMany = conditionCount(draft.group) > (fields.data?.max_conditions ?? 50);

  async function save() {
    if (!draft || !definition || !loaded) return;
    setSaving(true);
    try {
      const next = await api.patch<Segment>(`segments/${id}`, {
        name: draft.name,
        target: draft.target,
        description: draft.description,
        definition,
        version: loaded.version,
      });
      queryClient.setQueryData(marketingKeys.segment(id), next);
      void queryClient.invalidateQueries({ queryKey: [...recordKeys.all(meta.name), "list"] });
      clear();
      toast.show({ variant: "success", message: t("record.saved", { label: labels.objectLabel(meta), name: next.name }) });
    } catch (error) {
      showError(error);
      if (error instanceof ApiError && error.isConflict) void queryClient.invalidateQueries({ queryKey: marketingKeys.segment(id), exact: true });
    } finally {
      setSaving(false);
    }
  }

  const number = (value: number) => formatNumber(value, i18n.language);
  const sample = result.data?.sample ?? [];

  return (
    <div className="crm-page">
      <PageHeader
        variant="record-home"
        icon={meta.icon}
        meta={labels.objectLabel(meta)}
        title={loaded.name}
        actions={
          canWrite ? (
            <div className="slds-button-group" role="group">
              <button type="button" className="slds-button slds-button_neutral" disabled={!dirty || saving} onClick={() => setDraft(draftFrom(loaded))}>
                {t("common.cancel")}
              </button>
              <button type="button" className="slds-button slds-button_brand" disabled={!dirty || saving || tooMany} onClick={() => void save()}>
                {saving ? t("common.saving") : t("common.save")}
              </button>
            </div>
          ) : null
        }
      />
      <div className="slds-grid slds-wrap slds-gutters_direct-small crm-record-body">
        <div className="slds-col slds-size_1-of-1 slds-large-size_7-of-12">
          <Card title={t("marketing.segments.definition")} inner>
            {formError ? <FormAlert>{formError}</FormAlert> : null}
            <div className="slds-grid slds-gutters_x-small slds-wrap slds-m-bottom_small">
              <div className="slds-col slds-size_1-of-1 slds-medium-size_1-of-2">
                <FormElement id="segment-name" label={labels.fieldLabel(meta, findField(meta, "name"))} required errors={errors.name}>
                  {(control) => (
                    <input
                      className="slds-input"
                      {...control.aria}
                      value={draft.name}
                      disabled={!canWrite}
                      onChange={(event) => {
                        setDraft({ ...draft, name: event.target.value });
                        clear("name");
                      }}
                    />
                  )}
                </FormElement>
              </div>
              <div className="slds-col slds-size_1-of-1 slds-medium-size_1-of-2">
                <FormElement id="segment-target" label={labels.fieldLabel(meta, findField(meta, "target"))} errors={errors.target}>
                  {(control) => (
                    <Select
                      id={control.id}
                      aria-invalid={control.invalid || undefined}
                      aria-describedby={control.describedBy}
                      value={draft.target}
                      disabled={!canWrite}
                      options={TARGETS.map((target) => ({ value: target, label: t(`marketing.segments.targets.${target}`) }))}
                      onChange={(target) => setDraft({ ...draft, target: target as SegmentTarget })}
                    />
                  )}
                </FormElement>
              </div>
              <div className="slds-col slds-size_1-of-1 slds-m-top_x-small">
                <FormElement id="segment-description" label={labels.fieldLabel(meta, findField(meta, "description"))} errors={errors.description}>
                  {(control) => (
                    <textarea
                      className="slds-textarea"
                      rows={2}
                      {...control.aria}
                      value={draft.description}
                      disabled={!canWrite}
                      onChange={(event) => setDraft({ ...draft, description: event.target.value })}
                    />
                  )}
                </FormElement>
              </div>
            </div>
            <h3 className="slds-text-heading_small slds-m-bottom_x-small">{t("marketing.segments.conditions")}</h3>
            {errors.definition ? (
              <div className="slds-form-element slds-has-error slds-m-bottom_x-small">
                <div className="slds-form-element__help" role="alert">
                  {errors.definition.join(" ")}
                </div>
              </div>
            ) : null}
            {fields.data ? (
              <ConditionGroup
                value={draft.group}
                onChange={(group) => {
                  setDraft({ ...draft, group });
                  clear("definition");
                }}
                fields={fields.data}
                target={draft.target}
                disabled={!canWrite}
                label={t("marketing.segments.conditions")}
              />
            ) : (
              <Spinner size="small" />
            )}
            {tooMany ? (
              <p className="slds-text-color_error slds-m-top_x-small" role="alert">
                {t("marketing.segments.tooMany", { max: fields.data?.max_conditions ?? 50 })}
              </p>
            ) : null}
          </Card>
        </div>
        <div className="slds-col slds-size_1-of-1 slds-large-size_5-of-12">
          <Card title={t("marketing.segments.audience")} icon="segments" className="slds-is-relative">
            {result.isFetching ? <Spinner size="small" /> : null}
            <div className="slds-p-horizontal_medium slds-p-bottom_small" aria-live="polite">
              {liveError ? (
                <p className="slds-text-color_error" role="alert">
                  {liveError}
                </p>
              ) : result.data ? (
                <>
                  <p className="crm-segment-count">
                    <span className="crm-kpi-value" data-testid="segment-count">
                      {number(result.data.total)}
                    </span>{" "}
                    <span>{t("marketing.segments.matching", { count: result.data.total })}</span>
                  </p>
                  {draft.target === "both" ? (
                    <p className="slds-text-color_weak">
                      {t("marketing.segments.split", { contacts: number(result.data.contacts), leads: number(result.data.leads) })}
                    </p>
                  ) : null}
                </>
              ) : (
                <p className="slds-text-color_weak">{t("common.loading")}</p>
              )}
            </div>
            {sample.length ? (
              <Table
                scroll
                label={t("marketing.segments.preview")}
                columns={[
                  { key: "name", label: t("marketing.segments.name") },
                  { key: "email", label: t("marketing.segments.email") },
                  { key: "kind", label: t("marketing.segments.kind") },
                ]}
              >
                {sample.map((row) => (
                  <tr key={`${row.kind}-${row.id}`}>
                    <RowHeader title={row.name || row.email}>
                      <Link to={`/o/${row.kind}/${row.id}`}>{row.name || row.email}</Link>
                    </RowHeader>
                    <td>
                      <div className="slds-truncate" title={row.email}>
                        {row.email}
                      </div>
                    </td>
                    <td>{t(`marketing.segments.kinds.${row.kind}`, { defaultValue: row.kind })}</td>
                  </tr>
                ))}
              </Table>
            ) : result.data ? (
              <CardEmpty>{t("marketing.segments.nobody")}</CardEmpty>
            ) : null}
            {result.data && result.data.total > sample.length ? (
              <p className="slds-p-around_small slds-text-color_weak slds-text-body_small">
                {t("marketing.segments.firstRows", { count: sample.length, total: number(result.data.total) })}
              </p>
            ) : null}
          </Card>
        </div>
      </div>
    </div>
  );
}
