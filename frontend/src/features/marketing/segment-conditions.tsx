import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Checkbox, Select } from "../../components/form-element";
import { ButtonIcon } from "../../components/icon";
import { api } from "../../lib/api-client";
import { LookupInput } from "../../records/fields/lookup-input";
import { useMetaLabels } from "../../records/metadata/use-object-meta";
import { MEMBER_STATUSES, type SegmentFields, type SegmentTarget } from "./api/marketing-queries";
import {
  blankCondition,
  fieldsFor,
  kindOf,
  operatorsFor,
  replaceCondition,
  VALUELESS_OPS,
  type ActivityCondition,
  type CampaignCondition,
  type Condition,
  type FieldCondition,
  type GroupDraft,
} from "./segment-definition";

export type ConditionGroupProps = {
  value: GroupDraft;
  onChange: (value: GroupDraft) => void;
  fields: SegmentFields | undefined;
  target: SegmentTarget;
  /** 1 for the segment itself; groups nest up to the server's `max_depth`. */
  depth?: number;
  disabled?: boolean;
  /** Accessible name of the group. */
  label: string;
};

/** A group of conditions joined by AND (all) or OR (any): field tests, campaign membership, last activity, nested groups. */
export function ConditionGroup({ value, onChange, fields, target, depth = 1, disabled, label }: ConditionGroupProps) {
  const { t } = useTranslation();
  const maxDepth = fields?.max_depth ?? 3;
  const prefix = `segment-${depth}-${value.conditions[0]?.key ?? "empty"}`;
  const update = (key: string, next: Condition | null) => onChange(replaceCondition(value, key, next));
  const add = (type: Condition["type"]) => onChange({ ...value, conditions: [...value.conditions, blankCondition(type, fields, target)] });

  return (
    <div className={`crm-segment-group crm-segment-group_depth-${depth}`} role="group" aria-label={label}>
      <fieldset className="slds-form-element slds-m-bottom_x-small">
        <legend className="slds-form-element__legend slds-form-element__label">{t("marketing.segments.match")}</legend>
        <div className="slds-form-element__control">
          <div className="slds-radio_button-group">
            {(["all", "any"] as const).map((match) => (
              <span key={match} className="slds-button slds-radio_button">
                <input
                  type="radio"
                  name={`${prefix}-match`}
                  id={`${prefix}-match-${match}`}
                  checked={value.match === match}
                  disabled={disabled}
                  onChange={() => onChange({ ...value, match })}
                />
                <label className="slds-radio_button__label" htmlFor={`${prefix}-match-${match}`}>
                  <span className="slds-radio_faux">{t(`marketing.segments.matches.${match}`)}</span>
                </label>
              </span>
            ))}
          </div>
        </div>
      </fieldset>
      {value.conditions.length === 0 ? <p className="slds-text-color_weak slds-m-bottom_x-small">{t("marketing.segments.noConditions")}</p> : null}
      <ol className="crm-segment-conditions">
        {value.conditions.map((condition, index) => (
          <li key={condition.key} className="crm-segment-condition">
            {index > 0 ? <span className="crm-segment-joiner slds-badge slds-badge_lightest">{t(`marketing.segments.joiners.${value.match}`)}</span> : null}
            <div className="crm-segment-row">
              {condition.type === "group" ? (
                <ConditionGroup
                  value={condition}
                  onChange={(next) => update(condition.key, { ...condition, ...next })}
                  fields={fields}
                  target={target}
                  depth={depth + 1}
                  disabled={disabled}
                  label={t("marketing.segments.groupN", { n: index + 1 })}
                />
              ) : condition.type === "campaign" ? (
                <CampaignRow condition={condition} onChange={(next) => update(condition.key, next)} disabled={disabled} n={index + 1} />
              ) : condition.type === "last_activity" ? (
                <ActivityRow condition={condition} onChange={(next) => update(condition.key, next)} disabled={disabled} n={index + 1} />
              ) : (
                <FieldRow
                  condition={condition}
                  onChange={(next) => update(condition.key, next)}
                  fields={fields}
                  target={target}
                  disabled={disabled}
                  n={index + 1}
                />
              )}
              {disabled ? null : (
                <ButtonIcon
                  icon="delete"
                  variant="border-filled"
                  label={t("marketing.segments.remove", { n: index + 1 })}
                  onClick={() => update(condition.key, null)}
                  className="crm-segment-remove"
                />
              )}
            </div>
          </li>
        ))}
      </ol>
      {disabled ? null : (
        <div className="slds-button-group slds-m-top_x-small" role="group" aria-label={t("marketing.segments.addTo", { group: label })}>
          <button type="button" className="slds-button slds-button_neutral" onClick={() => add("field")}>
            {t("marketing.segments.addField")}
          </button>
          <button type="button" className="slds-button slds-button_neutral" onClick={() => add("campaign")}>
            {t("marketing.segments.addCampaign")}
          </button>
          <button type="button" className="slds-button slds-button_neutral" onClick={() => add("last_activity")}>
            {t("marketing.segments.addActivity")}
          </button>
          {depth < maxDepth ? (
            <button type="button" className="slds-button slds-button_neutral" onClick={() => add("group")}>
              {t("marketing.segments.addGroup")}
            </button>
          ) : null}
        </div>
      )}
    </div>
  );
}

type RowProps<C> = { condition: C; onChange: (next: C) => void; disabled?: boolean; n: number };

function FieldRow({
  condition,
  onChange,
  fields,
  target,
  disabled,
  n,
}: RowProps<FieldCondition> & { fields: SegmentFields | undefined; target: SegmentTarget }) {
  const { t } = useTranslation();
  const options = fieldsFor(fields, target);
  // A saved condition on a field of the other object stays listed, so it can be seen and changed.
  const listed = options.some((row) => row.name === condition.field)
    ? options
    : [...options, ...(fields?.fields.filter((row) => row.name === condition.field) ?? [])];
  const ops = operatorsFor(fields, condition.field);
  const kind = kindOf(fields, condition.field);
  const id = `segment-field-${condition.key}`;
  return (
    <div className="crm-segment-fields">
      <Select
        id={id}
        aria-label={t("marketing.segments.fieldN", { n })}
        value={condition.field}
        disabled={disabled}
        options={listed.map((row) => ({ value: row.name, label: t(`marketing.segments.fields.${row.name}`, { defaultValue: row.name }) }))}
        onChange={(field) => {
          const nextOps = operatorsFor(fields, field);
          onChange({
            ...condition,
            field,
            op: nextOps.includes(condition.op) ? condition.op : (nextOps[0] ?? ""),
            value: kindOf(fields, field) === kind ? condition.value : "",
          });
        }}
      />
      <Select
        aria-label={t("marketing.segments.operatorN", { n })}
        value={condition.op}
        disabled={disabled}
        options={ops.map((op) => ({ value: op, label: t(`marketing.segments.ops.${op}`, { defaultValue: op }) }))}
        onChange={(op) => onChange({ ...condition, op })}
      />
      {VALUELESS_OPS.has(condition.op) ? (
        <span />
      ) : (
        <input
          className="slds-input"
          aria-label={t("marketing.segments.valueN", { n })}
          type={kind === "date" && condition.op !== "within_days" ? "date" : kind === "number" || condition.op === "within_days" ? "number" : "text"}
          min={condition.op === "within_days" ? 0 : undefined}
          placeholder={condition.op === "within_days" ? t("marketing.segments.days") : ""}
          value={condition.value}
          disabled={disabled}
          onChange={(event) => onChange({ ...condition, value: event.target.value })}
        />
      )}
    </div>
  );
}

function CampaignRow({ condition, onChange, disabled, n }: RowProps<CampaignCondition>) {
  const { t } = useTranslation();
  const labels = useMetaLabels();
  // A saved condition keeps only the campaign's id: its current name is read for the lookup.
  const named = useQuery({
    queryKey: ["campaign", String(condition.campaign_id), "name"],
    queryFn: ({ signal }) => api.get<{ name: string }>(`campaigns/${condition.campaign_id}`, undefined, signal),
    enabled: condition.campaign_id !== null && !condition.campaign_name,
    retry: false,
  });
  const id = `segment-campaign-${condition.key}`;
  return (
    <div className="crm-segment-fields crm-segment-fields_campaign">
      <span className="crm-segment-kind">{condition.negate ? t("marketing.segments.notMemberOf") : t("marketing.segments.memberOf")}</span>
      <div>
        <label className="slds-assistive-text" htmlFor={id}>
          {t("marketing.segments.campaignN", { n })}
        </label>
        <LookupInput
          id={id}
          target="campaign"
          label={t("marketing.segments.campaignN", { n })}
          value={condition.campaign_id}
          displayName={condition.campaign_name || named.data?.name || (condition.campaign_id ? `#${condition.campaign_id}` : null)}
          invalid={condition.campaign_id === null}
          disabled={disabled}
          onChange={(campaignId, name) => onChange({ ...condition, campaign_id: campaignId, campaign_name: name ?? "" })}
        />
      </div>
      <Select
        aria-label={t("marketing.segments.memberStatusN", { n })}
        value={condition.status}
        disabled={disabled}
        placeholder={t("marketing.segments.anyStatus")}
        options={MEMBER_STATUSES.map((status) => ({ value: status, label: labels.option(status) }))}
        onChange={(status) => onChange({ ...condition, status })}
      />
      <Checkbox
        id={`${id}-negate`}
        label={t("marketing.segments.negate")}
        checked={condition.negate}
        disabled={disabled}
        onChange={(negate) => onChange({ ...condition, negate })}
      />
    </div>
  );
}

function ActivityRow({ condition, onChange, disabled, n }: RowProps<ActivityCondition>) {
  const { t } = useTranslation();
  return (
    <div className="crm-segment-fields">
      <span className="crm-segment-kind">{t("marketing.segments.lastActivity")}</span>
      <Select
        aria-label={t("marketing.segments.operatorN", { n })}
        value={condition.op}
        disabled={disabled}
        options={(["within_days", "not_within_days"] as const).map((op) => ({ value: op, label: t(`marketing.segments.activityOps.${op}`) }))}
        onChange={(op) => onChange({ ...condition, op: op as ActivityCondition["op"] })}
      />
      <input
        className="slds-input"
        type="number"
        min={0}
        aria-label={t("marketing.segments.daysN", { n })}
        placeholder={t("marketing.segments.days")}
        value={condition.days}
        disabled={disabled}
        onChange={(event) => onChange({ ...condition, days: event.target.value })}
      />
    </div>
  );
}
