import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { PageHeader } from "../../components/page-header";
import { Spinner } from "../../components/spinner";
import { RowHeader, Table } from "../../components/table";
import { formatDateTime } from "../../records/fields/format";
import { AdminGuard } from "../admin/admin-guard";
import { SetupNav } from "../admin/setup-nav";
import { workflowsQuery } from "./api/automation-queries";

/** Setup › Workflows: the organization's workflows; each opens in the builder. */
export function WorkflowsPage() {
  return (
    <AdminGuard>
      <WorkflowsAdmin />
    </AdminGuard>
  );
}

export function WorkflowsAdmin() {
  const { t, i18n } = useTranslation();
  const workflows = useQuery(workflowsQuery());
  const rows = workflows.data?.results ?? [];

  useEffect(() => {
    document.title = `${t("automation.workflows.title")} | ${t("work.admin.setup")}`;
  }, [t]);

  return (
    <div className="crm-page">
      <PageHeader
        icon="flow"
        meta={t("work.admin.setup")}
        title={t("automation.workflows.title")}
        actions={
          <Link className="slds-button slds-button_brand" to="/setup/workflows/new">
            {t("automation.workflows.new")}
          </Link>
        }
      />
      <SetupNav />
      <div className="slds-card">
        <div className="slds-card__header">
          <p className="slds-text-color_weak">{t("automation.workflows.intro")}</p>
        </div>
        {workflows.isLoading ? <Spinner /> : null}
        <Table
          className="crm-card-table"
          label={t("automation.workflows.title")}
          columns={[
            { key: "name", label: t("automation.workflows.name") },
            { key: "object", label: t("automation.workflows.object") },
            { key: "trigger", label: t("automation.workflows.triggerType") },
            { key: "steps", label: t("automation.workflows.steps"), align: "right" },
            { key: "version", label: t("automation.workflows.version"), align: "right" },
            { key: "active", label: t("automation.workflows.active") },
            { key: "updated", label: t("automation.workflows.started") },
          ]}
        >
          {rows.map((workflow) => (
            <tr key={workflow.id} className="slds-hint-parent">
              <RowHeader title={workflow.name}>
                <Link to={`/setup/workflows/${workflow.id}`}>{workflow.name}</Link>
              </RowHeader>
              <td>{t(`objects.${workflow.object_name}.label`, { ns: "meta", defaultValue: workflow.object_name })}</td>
              <td>{t(`automation.workflows.triggers.${(workflow.trigger as { type: string }).type}`)}</td>
              <td className="slds-text-align_right">{(workflow.steps as unknown[]).length}</td>
              <td className="slds-text-align_right">{workflow.current_version}</td>
              <td>{workflow.is_active ? "✓" : ""}</td>
              <td>{formatDateTime(workflow.updated_at, i18n.language)}</td>
            </tr>
          ))}
        </Table>
        {!workflows.isLoading && rows.length === 0 ? <p className="slds-p-around_medium slds-text-color_weak">{t("automation.workflows.empty")}</p> : null}
      </div>
    </div>
  );
}
