import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Card, CardEmpty } from "../../components/card";
import { FormAlert, FormElement, ModalFooter, Select } from "../../components/form-element";
import { ButtonIcon } from "../../components/icon";
import { Modal } from "../../components/modal";
import { RowHeader, Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { ApiError, api } from "../../lib/api-client";
import { useFieldErrors } from "../../lib/use-field-errors";
import { useCurrency } from "../../lib/session";
import type { SearchSelection } from "../../records/api/lookup-queries";
import { formatCurrency, formatNumber } from "../../records/fields/format";
import { RecordSearchLookup } from "../../records/fields/record-search-lookup";
import { useMetaLabels } from "../../records/metadata/use-object-meta";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";
import { campaignStatsQuery, MEMBER_STATUSES, type CampaignFigures, type CampaignMember, type CampaignRoi, type MemberStatus } from "./api/marketing-queries";
import { EngagementChart } from "./send-stats";
import "./marketing.css";

type FigureRow = { key: keyof CampaignFigures; kind: "money" | "count" | "ratio" };
const ROWS: FigureRow[] = [
  { key: "budgeted_cost", kind: "money" },
  { key: "actual_cost", kind: "money" },
  { key: "expected_revenue", kind: "money" },
  { key: "members", kind: "count" },
  { key: "influenced_opportunities", kind: "count" },
  { key: "influenced_amount", kind: "money" },
  { key: "won_opportunities", kind: "count" },
  { key: "won_amount", kind: "money" },
  { key: "roi", kind: "ratio" },
];

/** A campaign's return: its costs and the deals it influenced and won, alone and with its child campaigns rolled up. */
export function CampaignRoiCard({ record }: RecordExtensionProps) {
  const { t, i18n } = useTranslation();
  const currency = useCurrency();
  const roi = record.roi as CampaignRoi | undefined;
  if (!roi) return null;
  const hasChildren = roi.children.length > 0;
  const value = (figures: CampaignFigures, row: FigureRow) => {
    const raw = figures[row.key];
    if (row.kind === "money") return formatCurrency(raw, i18n.language, currency);
    if (row.kind === "count") return formatNumber(raw, i18n.language);
    return raw === null || raw === undefined ? "—" : new Intl.NumberFormat(i18n.language, { style: "percent", maximumFractionDigits: 1 }).format(Number(raw));
  };
  return (
    <Card title={t("marketing.campaigns.roi")} icon="metrics">
      <Table
        label={t("marketing.campaigns.roi")}
        className="crm-roi-table"
        columns={[
          { key: "figure", label: t("marketing.campaigns.figure") },
          { key: "campaign", label: t("marketing.campaigns.thisCampaign"), align: "right" },
          hasChildren ? { key: "hierarchy", label: t("marketing.campaigns.withChildren"), align: "right" } : null,
        ]}
      >
        {ROWS.map((row) => (
          <tr key={row.key} className={row.key === "roi" ? "crm-roi-total" : undefined}>
            <RowHeader title={t(`marketing.campaigns.figures.${row.key}`)} />
            <td className="slds-text-align_right" data-testid={`roi-${row.key}`}>
              {value(roi.campaign, row)}
            </td>
            {hasChildren ? <td className="slds-text-align_right">{value(roi.hierarchy, row)}</td> : null}
          </tr>
        ))}
      </Table>
      {hasChildren ? (
        <p className="slds-p-around_small slds-text-body_small">
          {t("marketing.campaigns.children")}{" "}
          {roi.children.map((child, index) => (
            <span key={child.id}>
              {index ? ", " : ""}
              <Link to={`/o/campaign/${child.id}`}>{child.name}</Link>
            </span>
          ))}
        </p>
      ) : null}
      <p className="slds-p-horizontal_small slds-p-bottom_small slds-text-body_small slds-text-color_weak">{t("marketing.campaigns.roiHelp")}</p>
    </Card>
  );
}

/** The campaign's leads and contacts with their member status: change a status, remove a member, add one. */
export function CampaignMembersCard({ record, canWrite, refresh }: RecordExtensionProps) {
  const { t, i18n } = useTranslation();
  const labels = useMetaLabels();
  const toast = useToast();
  const [adding, setAdding] = useState(false);
  const members = (record.members as CampaignMember[] | undefined) ?? [];
  const total = Number(record.member_count ?? members.length);
  const writable = canWrite && record.is_active !== false;

  async function setStatus(member: CampaignMember, status: string) {
    try {
      await api.patch(`campaigns/${record.id}/members/${member.id}`, { status, version: member.version });
      toast.show({ variant: "success", message: t("marketing.campaigns.statusSaved", { name: member.name, status: labels.option(status) }) });
    } catch (error) {
      toast.show({
        variant: "error",
        message: error instanceof ApiError && error.isConflict ? t("errors.conflict") : error instanceof ApiError ? error.message : t("errors.generic"),
      });
    }
    refresh();
  }

  async function remove(member: CampaignMember) {
    try {
      await api.delete(`campaigns/${record.id}/members/${member.id}`);
      toast.show({ variant: "success", message: t("marketing.campaigns.removed", { name: member.name }) });
    } catch (error) {
      toast.show({ variant: "error", message: error instanceof ApiError ? error.message : t("errors.generic") });
    }
    refresh();
  }

  const title = t("marketing.campaigns.members", { count: total, formatted: formatNumber(total, i18n.language) });
  return (
    <Card
      title={title}
      label={t("marketing.campaigns.membersLabel")}
      icon="campaign_members"
      actions={
        writable ? (
          <button type="button" className="slds-button slds-button_neutral" onClick={() => setAdding(true)}>
            {t("marketing.campaigns.addMember")}
          </button>
        ) : null
      }
    >
      {members.length ? (
        <Table
          scroll
          label={t("marketing.campaigns.membersLabel")}
          columns={[
            { key: "name", label: t("marketing.campaigns.name") },
            { key: "kind", label: t("marketing.campaigns.kind") },
            { key: "status", label: t("marketing.campaigns.memberStatus") },
            writable ? { key: "actions", label: t("common.actions"), labelHidden: true } : null,
          ]}
        >
          {members.map((member) => (
            <tr key={member.id}>
              <RowHeader title={member.name}>
                <Link to={`/o/${member.kind}/${member.kind === "lead" ? member.lead_id : member.contact_id}`}>{member.name}</Link>
                {member.email ? <div className="slds-text-body_small slds-text-color_weak slds-truncate">{member.email}</div> : null}
              </RowHeader>
              <td>{t(`marketing.segments.kinds.${member.kind}`, { defaultValue: member.kind })}</td>
              <td>
                {writable ? (
                  <Select
                    aria-label={t("marketing.campaigns.statusOf", { name: member.name })}
                    value={member.status}
                    options={MEMBER_STATUSES.map((status) => ({ value: status, label: labels.option(status) }))}
                    onChange={(status) => void setStatus(member, status)}
                  />
                ) : (
                  labels.option(member.status)
                )}
              </td>
              {writable ? (
                <td className="slds-text-align_right">
                  <ButtonIcon icon="close" label={t("marketing.campaigns.remove", { name: member.name })} onClick={() => void remove(member)} />
                </td>
              ) : null}
            </tr>
          ))}
        </Table>
      ) : (
        <CardEmpty>{t("marketing.campaigns.noMembers")}</CardEmpty>
      )}
      {total > members.length ? (
        <p className="slds-p-around_small slds-text-body_small slds-text-color_weak">{t("marketing.campaigns.newest", { count: members.length })}</p>
      ) : null}
      {adding ? (
        <AddMemberModal
          campaignId={record.id}
          onClose={() => setAdding(false)}
          onAdded={() => {
            setAdding(false);
            refresh();
          }}
        />
      ) : null}
    </Card>
  );
}

function AddMemberModal({ campaignId, onClose, onAdded }: { campaignId: number; onClose: () => void; onAdded: () => void }) {
  const { t } = useTranslation();
  const labels = useMetaLabels();
  const toast = useToast();
  const [person, setPerson] = useState<SearchSelection | null>(null);
  const [status, setStatus] = useState<MemberStatus>("Planned");
  const [busy, setBusy] = useState(false);
  const { errors, formError, validate, showError } = useFieldErrors({ fields: ["person", "status"], aliases: { contact_id: "person", lead_id: "person" } });

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!validate({ person: person ? undefined : t("form.requiredError") }) || !person) return;
    setBusy(true);
    try {
      await api.post(`campaigns/${campaignId}/members`, { [`${person.object}_id`]: person.id, status });
      toast.show({ variant: "success", message: t("marketing.campaigns.added", { name: person.title }) });
      onAdded();
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      title={t("marketing.campaigns.addMember")}
      onClose={onClose}
      size="small"
      footer={<ModalFooter onCancel={onClose} form="add-member-form" busy={busy} label={t("marketing.campaigns.add")} />}
    >
      <form id="add-member-form" onSubmit={(event) => void submit(event)} noValidate>
        {formError ? <FormAlert>{formError}</FormAlert> : null}
        <FormElement id="member-person" label={t("marketing.campaigns.person")} required errors={errors.person} className="slds-m-bottom_small">
          {(control) => (
            <RecordSearchLookup
              id={control.id}
              objects={["contact", "lead"]}
              value={person}
              onChange={setPerson}
              placeholder={t("marketing.templates.searchPeople")}
              invalid={control.invalid}
              describedBy={control.describedBy}
            />
          )}
        </FormElement>
        <FormElement id="member-status" label={t("marketing.campaigns.memberStatus")} errors={errors.status}>
          {(control) => (
            <Select
              id={control.id}
              value={status}
              options={MEMBER_STATUSES.map((value) => ({ value, label: labels.option(value) }))}
              onChange={(value) => setStatus(value as MemberStatus)}
            />
          )}
        </FormElement>
      </form>
    </Modal>
  );
}

/** The email statistics of every send of the campaign together; shown once a send has recipients. */
export function CampaignEmailStatsCard({ record }: RecordExtensionProps) {
  const { t } = useTranslation();
  const stats = useQuery(campaignStatsQuery(record.id));
  if (!stats.data || stats.data.recipients === 0) return null;
  return (
    <Card title={t("marketing.campaigns.emailStats")} icon="metrics">
      <EngagementChart stats={stats.data} />
    </Card>
  );
}
