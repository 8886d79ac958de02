import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Checkbox } from "../../components/form-element";
import { ButtonIcon } from "../../components/icon";
import { PageHeader } from "../../components/page-header";
import { Spinner } from "../../components/spinner";
import { Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { ApiError } from "../../lib/api-client";
import { useFieldErrors } from "../../lib/use-field-errors";
import { recordKeys } from "../../records/api/record-queries";
import { stagesQuery, type Stage } from "../../records/api/stage-queries";
import { metaQuery, useMetaIndex } from "../../records/metadata/use-object-meta";
import { AdminGuard } from "./admin-guard";
import { SetupNav } from "./setup-nav";
import { saveStages } from "./api/admin-queries";
import { moveRow, validateStages, type StageErrors, type StageRow } from "./stage-validation";

let nextKey = 1;

function toRows(stages: Stage[]): StageRow[] {
  return stages.map((stage) => ({
    key: `s${stage.id}`,
    name: stage.name,
    probability: stage.probability,
    is_closed: stage.is_closed,
    is_won: stage.is_won,
    is_active: stage.is_active,
  }));
}

/** Setup › Stage Settings: order, names, probability, closed/won flags and active flag of opportunity stages. */
export function StageSettingsPage() {
  return (
    <AdminGuard>
      <StageSettings />
    </AdminGuard>
  );
}

export function StageSettings() {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const { data: metaIndex } = useMetaIndex();
  const opportunityMeta = metaIndex?.byName.opportunity;
  const stagesOptions = stagesQuery(opportunityMeta);
  const stages = useQuery(stagesOptions);
  const [rows, setRows] = useState<StageRow[] | null>(null);
  const [errors, setErrors] = useState<StageErrors>({});
  // The server's messages per row field ("2.name"), shown next to the client's own checks.
  const server = useFieldErrors();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    document.title = `${t("work.admin.stages")} | ${t("work.admin.setup")}`;
  }, [t]);
  useEffect(() => {
    if (stages.data && rows === null) setRows(toRows(stages.data));
  }, [stages.data, rows]);

  if (stages.isLoading || rows === null) return <Spinner />;

  const update = (index: number, changes: Partial<StageRow>) => {
    const next = rows.map((row, i) => (i === index ? { ...row, ...changes } : row));
    setRows(next);
    if (Object.keys(errors).length) setErrors(validateStages(next));
    server.clear();
  };

  const save = async () => {
    const local = validateStages(rows);
    setErrors(local);
    server.clear();
    if (Object.keys(local).length) return;
    setSaving(true);
    try {
      const body = rows.map(({ key: _key, ...row }) => ({ ...row, name: row.name.trim(), probability: Number(row.probability) }));
      const saved = await saveStages(opportunityMeta?.extra.stages_path as string, body);
      queryClient.setQueryData(stagesOptions.queryKey, saved);
      void queryClient.invalidateQueries({ queryKey: metaQuery.queryKey });
      void queryClient.invalidateQueries({ queryKey: recordKeys.all("opportunity"), predicate: (query) => query.queryKey[1] !== "stages" });
      setRows(toRows(saved));
      toast.show({ variant: "success", message: t("work.admin.stagesSaved") });
    } catch (error) {
      if (!server.showError(error)) toast.show({ variant: "error", message: error instanceof ApiError ? error.message : t("errors.generic") });
    } finally {
      setSaving(false);
    }
  };

  const messages = (key: string) => [...(errors[key] ?? []).map((code) => t(code)), ...(server.errors[key] ?? [])];
  const listErrors = messages("non_field_errors");

  return (
    <div className="crm-page">
      <PageHeader
        icon="opportunity"
        meta={t("work.admin.setup")}
        title={t("work.admin.stages")}
        metaText={t("work.admin.stagesHelp")}
        actions={
          <div className="slds-button-group" role="group">
            <button
              type="button"
              className="slds-button slds-button_neutral"
              disabled={saving}
              onClick={() => {
                setRows(toRows(stages.data ?? []));
                setErrors({});
                server.clear();
              }}
            >
              {t("work.admin.reset")}
            </button>
            <button type="button" className="slds-button slds-button_brand" disabled={saving} onClick={() => void save()}>
              {saving ? t("common.saving") : t("common.save")}
            </button>
          </div>
        }
      />
      <SetupNav />
      {listErrors.length ? (
        <div className="slds-notify slds-notify_alert slds-alert_error slds-m-bottom_small" role="alert">
          <h2>
            <strong>{t("form.snag")}</strong> {listErrors.join(" ")}
          </h2>
        </div>
      ) : null}
      <div className="slds-card">
        <Table
          className="crm-card-table crm-stage-table"
          label={t("work.admin.stages")}
          columns={[
            { key: "order", label: t("work.admin.order") },
            { key: "name", label: t("work.admin.stageName") },
            { key: "probability", label: t("work.admin.probability") },
            { key: "closed", label: t("work.admin.closed") },
            { key: "won", label: t("work.admin.won") },
            { key: "active", label: t("work.admin.activeStage") },
          ]}
        >
          {rows.map((row, index) => {
            const label = row.name || `#${index + 1}`;
            const nameErrors = messages(`${index}.name`);
            const probabilityErrors = messages(`${index}.probability`);
            const wonErrors = messages(`${index}.is_won`);
            const checkbox = (field: "is_closed" | "is_won" | "is_active", text: string, fieldErrors: string[] = []) => (
              <div className={`slds-form-element ${fieldErrors.length ? "slds-has-error" : ""}`}>
                <Checkbox
                  id={`${row.key}-${field}`}
                  label={`${text} ${label}`}
                  labelHidden
                  checked={row[field]}
                  onChange={(checked) => update(index, { [field]: checked })}
                />
                {fieldErrors.length ? <div className="slds-form-element__help">{fieldErrors.join(" ")}</div> : null}
              </div>
            );
            return (
              <tr key={row.key} className={row.is_active ? "" : "crm-row-inactive"}>
                <td data-label={t("work.admin.order")}>
                  <span className="crm-stage-order">{index + 1}</span>
                  <ButtonIcon
                    icon="arrowup"
                    label={t("work.admin.moveUp", { name: label })}
                    variant="border-filled"
                    size="x-small"
                    onClick={() => setRows(moveRow(rows, index, index - 1))}
                  />
                  <ButtonIcon
                    icon="arrowdown"
                    label={t("work.admin.moveDown", { name: label })}
                    variant="border-filled"
                    size="x-small"
                    onClick={() => setRows(moveRow(rows, index, index + 1))}
                  />
                </td>
                <td data-label={t("work.admin.stageName")}>
                  <div className={`slds-form-element ${nameErrors.length ? "slds-has-error" : ""}`}>
                    <input
                      className="slds-input"
                      aria-label={`${t("work.admin.stageName")} ${index + 1}`}
                      value={row.name}
                      maxLength={40}
                      aria-invalid={nameErrors.length > 0 || undefined}
                      onChange={(event) => update(index, { name: event.target.value })}
                    />
                    {nameErrors.length ? <div className="slds-form-element__help">{nameErrors.join(" ")}</div> : null}
                  </div>
                </td>
                <td data-label={t("work.admin.probability")}>
                  <div className={`slds-form-element ${probabilityErrors.length ? "slds-has-error" : ""}`}>
                    <input
                      className="slds-input crm-probability"
                      type="number"
                      min={0}
                      max={100}
                      aria-label={`${t("work.admin.probability")} ${label}`}
                      value={row.probability}
                      aria-invalid={probabilityErrors.length > 0 || undefined}
                      onChange={(event) => update(index, { probability: event.target.value === "" ? "" : Number(event.target.value) })}
                    />
                    {probabilityErrors.length ? <div className="slds-form-element__help">{probabilityErrors.join(" ")}</div> : null}
                  </div>
                </td>
                <td data-label={t("work.admin.closed")}>{checkbox("is_closed", t("work.admin.closed"))}</td>
                <td data-label={t("work.admin.won")}>{checkbox("is_won", t("work.admin.won"), wonErrors)}</td>
                <td data-label={t("work.admin.activeStage")}>{checkbox("is_active", t("work.admin.activeStage"))}</td>
              </tr>
            );
          })}
        </Table>
        <footer className="slds-card__footer">
          <button
            type="button"
            className="slds-button"
            onClick={() => setRows([...rows, { key: `new${nextKey++}`, name: "", probability: 10, is_closed: false, is_won: false, is_active: true }])}
          >
            {t("work.admin.addStage")}
          </button>
        </footer>
      </div>
    </div>
  );
}
