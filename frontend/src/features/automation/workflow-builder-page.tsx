import { useQuery } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { Checkbox, FormAlert, FormElement, Select } from "../../components/form-element";
import { PageHeader } from "../../components/page-header";
import { Spinner } from "../../components/spinner";
import { useToast } from "../../components/toast";
import { ApiError, errorText } from "../../lib/api-client";
import { useMetaIndex } from "../../records/metadata/use-object-meta";
import type { ObjectMeta } from "../../records/metadata/types";
import { AdminGuard } from "../admin/admin-guard";
import { SetupNav } from "../admin/setup-nav";
import { usersQuery } from "../admin/api/admin-queries";
import {
  MEMBER_STATUSES,
  campaignsQuery,
  emailTemplatesQuery,
  useSaveWorkflow,
  webFormsQuery,
  webhooksQuery,
  workflowQuery,
  type Workflow,
} from "./api/automation-queries";
import { RunHistory } from "./run-history";
import { AddTagStepFields, TagTriggerFields } from "./tag-workflow-fields";

export const WORKFLOW_OBJECTS = ["lead", "account", "contact", "opportunity", "case", "order", "contract", "payment", "activity"];
export const TRIGGER_TYPES = [
  "record_created",
  "record_updated",
  "field_changed",
  "stage_changed",
  "form_submitted",
  "date_relative",
  "manual",
  "tag_added",
] as const;
export const STEP_TYPES = [
  "create_task",
  "update_field",
  "assign_round_robin",
  "call_webhook",
  "send_email_template",
  "add_to_campaign",
  "add_tag",
  "wait",
] as const;
const OPERATORS = ["eq", "ne", "gt", "gte", "lt", "lte", "contains", "not_contains", "starts_with", "in", "is_empty", "is_not_empty"];
const STAGED = ["lead", "opportunity", "case"];

type Json = Record<string, unknown>;
type Rule = { field: string; op: string; value: string };
export type Draft = {
  name: string;
  description: string;
  object_name: string;
  trigger: Json;
  match: "all" | "any";
  rules: Rule[];
  steps: Json[];
  debounceMinutes: number;
  is_active: boolean;
};

const NEW_DRAFT: Draft = {
  name: "",
  description: "",
  object_name: "lead",
  trigger: { type: "record_created" },
  match: "all",
  rules: [],
  steps: [{ type: "create_task", subject: "Follow up with {record}", due_in_days: 1, assign_to: "owner", priority: "Normal" }],
  debounceMinutes: 0,
  is_active: true,
};

function draftOf(workflow: Workflow): Draft {
  const conditions = (workflow.conditions ?? {}) as { match?: "all" | "any"; rules?: { field: string; op: string; value?: unknown }[] };
  return {
    name: workflow.name,
    description: workflow.description ?? "",
    object_name: workflow.object_name,
    trigger: workflow.trigger as Json,
    match: conditions.match ?? "all",
    rules: (conditions.rules ?? []).map((rule) => ({
      field: rule.field,
      op: rule.op,
      value: Array.isArray(rule.value) ? rule.value.join(", ") : rule.value === undefined || rule.value === null ? "" : String(rule.value),
    })),
    steps: workflow.steps as Json[],
    debounceMinutes: Math.round((workflow.debounce_seconds ?? 0) / 60),
    is_active: workflow.is_active ?? true,
  };
}

/** The request body of a draft (conditions as the server reads them). */
export function bodyOf(draft: Draft) {
  return {
    name: draft.name,
    description: draft.description,
    object_name: draft.object_name,
    trigger: draft.trigger,
    conditions: {
      match: draft.match,
      rules: draft.rules.map((rule) => ({
        field: rule.field,
        op: rule.op,
        ...(rule.op === "is_empty" || rule.op === "is_not_empty"
          ? {}
          : { value: rule.op === "in" ? rule.value.split(",").map((item) => item.trim()) : rule.value }),
      })),
    },
    steps: draft.steps,
    debounce_seconds: draft.debounceMinutes * 60,
    is_active: draft.is_active,
  };
}

/** A condition's or a step's field name as the server knows it (a link by its field, not `_id`). */
function fieldName(apiName: string): string {
  return apiName.endsWith("_id") ? apiName.slice(0, -3) : apiName;
}

/** Setup › Workflows › builder: trigger, conditions and steps of one workflow, with its run history. */
export function WorkflowBuilderPage() {
  return (
    <AdminGuard>
      <WorkflowBuilder />
    </AdminGuard>
  );
}

export function WorkflowBuilder() {
  const { id } = useParams();
  const isNew = !id || id === "new";
  const existing = useQuery({ ...workflowQuery(Number(id)), enabled: !isNew });
  if (!isNew && !existing.data) return <Spinner />;
  return <Builder key={existing.data?.version ?? "new"} workflow={isNew ? null : (existing.data ?? null)} />;
}

function Builder({ workflow }: { workflow: Workflow | null }) {
  const { t } = useTranslation();
  const toast = useToast();
  const navigate = useNavigate();
  const save = useSaveWorkflow();
  const meta = useMetaIndex();
  const [draft, setDraft] = useState<Draft>(() => (workflow ? draftOf(workflow) : NEW_DRAFT));
  const [error, setError] = useState<ApiError | null>(null);
  const objectMeta = meta.data?.byName[draft.object_name];
  const set = (changes: Partial<Draft>) => setDraft({ ...draft, ...changes });
  const errors = error?.fieldErrors ?? {};

  useEffect(() => {
    document.title = `${workflow?.name ?? t("automation.workflows.new")} | ${t("automation.workflows.title")}`;
  }, [t, workflow]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const saved = await save.mutateAsync({ id: workflow?.id, version: workflow?.version, ...bodyOf(draft) } as Parameters<typeof save.mutateAsync>[0]);
      toast.show({ variant: "success", message: t("automation.workflows.saved", { name: saved.name }) });
      navigate(`/setup/workflows/${saved.id}`, { replace: true });
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : null);
      toast.show({ variant: "error", message: errorText(caught, t("errors.generic")) });
    }
  };

  return (
    <div className="crm-page">
      <PageHeader
        icon="flow"
        meta={t("automation.workflows.builder")}
        title={workflow?.name ?? t("automation.workflows.new")}
        actions={
          <>
            <Link className="slds-button slds-button_neutral" to="/setup/workflows">
              {t("automation.workflows.back")}
            </Link>
            <button type="submit" form="workflow-builder" className="slds-button slds-button_brand" disabled={save.isPending}>
              {t("automation.workflows.save")}
            </button>
          </>
        }
      />
      <SetupNav />
      <form id="workflow-builder" className="slds-form slds-form_stacked crm-workflow-builder" onSubmit={(event) => void submit(event)} noValidate>
        {error && !Object.keys(errors).length ? <FormAlert>{error.message}</FormAlert> : null}
        <section className="slds-card slds-p-around_medium" aria-label={t("automation.workflows.builder")}>
          <div className="slds-grid slds-gutters slds-wrap">
            <FormElement id="wfb-name" className="slds-col slds-size_1-of-2" label={t("automation.workflows.name")} required errors={errors.name}>
              {(control) => <input {...control.aria} className="slds-input" value={draft.name} onChange={(event) => set({ name: event.target.value })} />}
            </FormElement>
            <FormElement id="wfb-object" className="slds-col slds-size_1-of-4" label={t("automation.workflows.object")} errors={errors.object_name}>
              {(control) => (
                <Select
                  id={control.id}
                  value={draft.object_name}
                  onChange={(value) => set({ object_name: value, rules: [], trigger: { type: "record_created" } })}
                  options={WORKFLOW_OBJECTS.map((name) => ({
                    value: name,
                    label: t(`objects.${name}.label`, { ns: "meta", defaultValue: meta.data?.byName[name]?.label ?? name }),
                  }))}
                />
              )}
            </FormElement>
            <FormElement
              id="wfb-debounce"
              className="slds-col slds-size_1-of-4"
              label={t("automation.workflows.debounce")}
              help={t("automation.workflows.debounceHelp")}
              errors={errors.debounce_seconds}
            >
              {(control) => (
                <input
                  {...control.aria}
                  type="number"
                  min={0}
                  className="slds-input"
                  value={draft.debounceMinutes}
                  onChange={(event) => set({ debounceMinutes: Number(event.target.value) || 0 })}
                />
              )}
            </FormElement>
            <FormElement id="wfb-description" className="slds-col slds-size_3-of-4" label={t("automation.workflows.description")}>
              {(control) => (
                <input {...control.aria} className="slds-input" value={draft.description} onChange={(event) => set({ description: event.target.value })} />
              )}
            </FormElement>
            <div className="slds-col slds-size_1-of-4 slds-p-top_large">
              <Checkbox
                id="wfb-active"
                label={t("automation.workflows.active")}
                checked={draft.is_active}
                onChange={(checked) => set({ is_active: checked })}
              />
            </div>
          </div>
        </section>
        <ol className="crm-flow">
          <li className="crm-flow__node">
            <TriggerCard draft={draft} set={set} objectMeta={objectMeta} errors={errors} />
          </li>
          <li className="crm-flow__node">
            <ConditionsCard draft={draft} set={set} objectMeta={objectMeta} errors={errors} />
          </li>
          {draft.steps.map((step, index) => (
            <li key={index} className="crm-flow__node">
              <StepCard draft={draft} index={index} step={step} set={set} objectMeta={objectMeta} errors={errors} />
            </li>
          ))}
          <li className="crm-flow__node crm-flow__node_add">
            <AddStep onAdd={(type) => set({ steps: [...draft.steps, defaultStep(type)] })} />
          </li>
        </ol>
      </form>
      {workflow ? <RunHistory filters={{ workflow: workflow.id }} title={t("automation.workflows.runs")} showRecord /> : null}
    </div>
  );
}

type CardProps = { draft: Draft; set: (changes: Partial<Draft>) => void; objectMeta: ObjectMeta | undefined; errors: Record<string, string[]> };

function fieldOptions(objectMeta: ObjectMeta | undefined, types?: string[]) {
  return (objectMeta?.fields ?? [])
    .filter((field) => !types || types.includes(field.type))
    .map((field) => ({ value: fieldName(field.name), label: field.label }));
}

function TriggerCard({ draft, set, objectMeta, errors }: CardProps) {
  const { t } = useTranslation();
  const forms = useQuery({ ...webFormsQuery(), enabled: draft.trigger.type === "form_submitted" });
  const trigger = draft.trigger;
  const setTrigger = (changes: Json) => set({ trigger: { ...trigger, ...changes } });
  const kinds = TRIGGER_TYPES.filter((kind) =>
    kind === "stage_changed" ? STAGED.includes(draft.object_name) : kind === "form_submitted" ? draft.object_name === "lead" : true,
  );
  const triggerErrors = Object.entries(errors).filter(([key]) => key.startsWith("trigger"));
  return (
    <section className="slds-card slds-p-around_medium crm-flow__card crm-flow__card_trigger" aria-label={t("automation.workflows.trigger")}>
      <h2 className="slds-text-heading_small slds-m-bottom_small">{t("automation.workflows.trigger")}</h2>
      <FormElement id="wfb-trigger" label={t("automation.workflows.triggerType")}>
        {(control) => (
          <Select
            id={control.id}
            value={String(trigger.type)}
            onChange={(value) => set({ trigger: { type: value } })}
            options={kinds.map((kind) => ({ value: kind, label: t(`automation.workflows.triggers.${kind}`) }))}
          />
        )}
      </FormElement>
      {trigger.type === "record_updated" ? (
        <FormElement id="wfb-watched" label={t("automation.workflows.watchedFields")}>
          {(control) => (
            <input
              {...control.aria}
              className="slds-input"
              value={((trigger.fields as string[] | undefined) ?? []).join(", ")}
              onChange={(event) =>
                setTrigger({
                  fields: event.target.value
                    .split(",")
                    .map((item) => item.trim())
                    .filter(Boolean),
                })
              }
            />
          )}
        </FormElement>
      ) : null}
      {trigger.type === "field_changed" || trigger.type === "date_relative" ? (
        <FormElement id="wfb-trigger-field" label={t("automation.workflows.triggerField")}>
          {(control) => (
            <Select
              id={control.id}
              value={String(trigger.field ?? "")}
              placeholder="--"
              onChange={(value) => setTrigger({ field: value })}
              options={fieldOptions(objectMeta, trigger.type === "date_relative" ? ["date", "datetime"] : undefined)}
            />
          )}
        </FormElement>
      ) : null}
      {trigger.type === "field_changed" ? (
        <FormElement id="wfb-trigger-value" label={t("automation.workflows.triggerValue")}>
          {(control) => (
            <input
              {...control.aria}
              className="slds-input"
              value={String(trigger.value ?? "")}
              onChange={(event) => setTrigger({ value: event.target.value })}
            />
          )}
        </FormElement>
      ) : null}
      {trigger.type === "stage_changed" ? (
        <FormElement id="wfb-trigger-to" label={t("automation.workflows.triggerTo")}>
          {(control) => (
            <input {...control.aria} className="slds-input" value={String(trigger.to ?? "")} onChange={(event) => setTrigger({ to: event.target.value })} />
          )}
        </FormElement>
      ) : null}
      {trigger.type === "form_submitted" ? (
        <FormElement id="wfb-trigger-form" label={t("automation.workflows.triggerForm")}>
          {(control) => (
            <Select
              id={control.id}
              value={trigger.form_id ? String(trigger.form_id) : ""}
              placeholder="--"
              onChange={(value) => set({ trigger: value ? { type: "form_submitted", form_id: Number(value) } : { type: "form_submitted" } })}
              options={(forms.data?.results ?? []).map((form) => ({ value: String(form.id), label: form.name }))}
            />
          )}
        </FormElement>
      ) : null}
      {trigger.type === "tag_added" ? <TagTriggerFields trigger={trigger} onChange={(next) => set({ trigger: next })} /> : null}
      {trigger.type === "date_relative" ? (
        <FormElement id="wfb-trigger-offset" label={t("automation.workflows.offsetDays")}>
          {(control) => (
            <input
              {...control.aria}
              type="number"
              className="slds-input"
              value={Number(trigger.offset_days ?? 0)}
              onChange={(event) => setTrigger({ offset_days: Number(event.target.value) || 0 })}
            />
          )}
        </FormElement>
      ) : null}
      {triggerErrors.length ? <FormAlert>{triggerErrors.flatMap(([, messages]) => messages).join(" ")}</FormAlert> : null}
    </section>
  );
}

function ConditionsCard({ draft, set, objectMeta, errors }: CardProps) {
  const { t } = useTranslation();
  const update = (index: number, changes: Partial<Rule>) => set({ rules: draft.rules.map((rule, i) => (i === index ? { ...rule, ...changes } : rule)) });
  const options = fieldOptions(objectMeta);
  return (
    <section className="slds-card slds-p-around_medium crm-flow__card" aria-label={t("automation.workflows.conditions")}>
      <div className="slds-grid slds-grid_vertical-align-center slds-m-bottom_small">
        <h2 className="slds-text-heading_small slds-col">{t("automation.workflows.conditions")}</h2>
        {draft.rules.length > 1 ? (
          <Select
            aria-label={t("automation.workflows.match")}
            value={draft.match}
            onChange={(value) => set({ match: value as "all" | "any" })}
            options={[
              { value: "all", label: t("automation.workflows.matchAll") },
              { value: "any", label: t("automation.workflows.matchAny") },
            ]}
          />
        ) : null}
      </div>
      {draft.rules.length === 0 ? <p className="slds-text-color_weak slds-m-bottom_small">{t("automation.workflows.conditionsNone")}</p> : null}
      {draft.rules.map((rule, index) => {
        const ruleErrors = Object.entries(errors).filter(([key]) => key.startsWith(`conditions.rules.${index}.`));
        return (
          <div key={index} className="slds-grid slds-gutters_x-small slds-m-bottom_x-small slds-grid_vertical-align-end">
            <div className="slds-col slds-size_4-of-12">
              <Select
                aria-label={`${t("automation.workflows.field")} ${index + 1}`}
                value={rule.field}
                placeholder="--"
                onChange={(value) => update(index, { field: value })}
                options={options}
              />
            </div>
            <div className="slds-col slds-size_3-of-12">
              <Select
                aria-label={`${t("automation.workflows.operator")} ${index + 1}`}
                value={rule.op}
                onChange={(value) => update(index, { op: value })}
                options={OPERATORS.map((op) => ({ value: op, label: t(`automation.workflows.operators.${op}`) }))}
              />
            </div>
            <div className="slds-col slds-size_4-of-12">
              {rule.op === "is_empty" || rule.op === "is_not_empty" ? null : (
                <input
                  aria-label={`${t("automation.workflows.value")} ${index + 1}`}
                  className="slds-input"
                  value={rule.value}
                  onChange={(event) => update(index, { value: event.target.value })}
                />
              )}
            </div>
            <div className="slds-col slds-size_1-of-12">
              <button
                type="button"
                className="slds-button slds-button_icon slds-button_icon-border"
                title={t("automation.workflows.remove")}
                onClick={() => set({ rules: draft.rules.filter((_, i) => i !== index) })}
              >
                ✕<span className="slds-assistive-text">{t("automation.workflows.remove")}</span>
              </button>
            </div>
            {ruleErrors.length ? (
              <div className="slds-col slds-size_1-of-1 slds-text-color_error">{ruleErrors.flatMap(([, messages]) => messages).join(" ")}</div>
            ) : null}
          </div>
        );
      })}
      <button type="button" className="slds-button slds-button_neutral" onClick={() => set({ rules: [...draft.rules, { field: "", op: "eq", value: "" }] })}>
        {t("automation.workflows.addCondition")}
      </button>
    </section>
  );
}

function defaultStep(type: string): Json {
  switch (type) {
    case "create_task":
      return { type, subject: "Follow up with {record}", due_in_days: 1, assign_to: "owner", priority: "Normal" };
    case "update_field":
      return { type, field: "", value: "" };
    case "assign_round_robin":
      return { type, user_ids: [] };
    case "call_webhook":
      return { type, webhook_id: null };
    case "send_email_template":
      return { type, template_id: null };
    case "add_to_campaign":
      return { type, campaign_id: null, status: "Sent" };
    case "add_tag":
      return { type, tag_id: null };
    default:
      return { type: "wait", days: 1 };
  }
}

function AddStep({ onAdd }: { onAdd: (type: string) => void }) {
  const { t } = useTranslation();
  const [type, setType] = useState<string>("create_task");
  return (
    <div className="slds-grid slds-gutters_x-small slds-grid_vertical-align-center">
      <div className="slds-col slds-grow-none">
        <Select
          aria-label={t("automation.workflows.addStep")}
          value={type}
          onChange={setType}
          options={STEP_TYPES.map((value) => ({ value, label: t(`automation.workflows.stepTypes.${value}`) }))}
        />
      </div>
      <div className="slds-col slds-grow-none">
        <button type="button" className="slds-button slds-button_neutral" onClick={() => onAdd(type)}>
          {t("automation.workflows.addStep")}
        </button>
      </div>
    </div>
  );
}

function StepCard({ draft, index, step, set, objectMeta, errors }: CardProps & { index: number; step: Json }) {
  const { t } = useTranslation();
  const users = useQuery({ ...usersQuery(), enabled: step.type === "create_task" || step.type === "assign_round_robin" || step.type === "update_field" });
  const hooks = useQuery({ ...webhooksQuery(), enabled: step.type === "call_webhook" });
  const templates = useQuery({ ...emailTemplatesQuery(), enabled: step.type === "send_email_template" });
  const campaigns = useQuery({ ...campaignsQuery(), enabled: step.type === "add_to_campaign" });
  const update = (changes: Json) => set({ steps: draft.steps.map((item, i) => (i === index ? { ...item, ...changes } : item)) });
  const replace = (next: Json) => set({ steps: draft.steps.map((item, i) => (i === index ? next : item)) });
  const move = (offset: number) => {
    const steps = [...draft.steps];
    const [item] = steps.splice(index, 1);
    steps.splice(index + offset, 0, item);
    set({ steps });
  };
  const prefix = `steps.${index}.`;
  const stepErrors = (key: string) => errors[`${prefix}${key}`];
  const other = Object.entries(errors)
    .filter(([key]) => key === `steps.${index}` || key === `${prefix}type`)
    .flatMap(([, messages]) => messages);
  const id = `wfb-step-${index}`;
  const userOptions = (users.data?.results ?? []).filter((user) => user.is_active).map((user) => ({ value: String(user.id), label: user.name }));
  const waitKey = ["minutes", "days", "until_field"].find((key) => key in step) ?? "days";
  return (
    <section className="slds-card slds-p-around_medium crm-flow__card" aria-label={t("automation.workflows.stepNumber", { number: index + 1 })}>
      <div className="slds-grid slds-grid_vertical-align-center slds-m-bottom_small">
        <h2 className="slds-text-heading_small slds-col">
          {t("automation.workflows.stepNumber", { number: index + 1 })}: {t(`automation.workflows.stepTypes.${String(step.type)}`)}
        </h2>
        <div className="slds-button-group" role="group">
          <button type="button" className="slds-button slds-button_neutral" disabled={index === 0} onClick={() => move(-1)}>
            {t("automation.workflows.moveUp")}
          </button>
          <button type="button" className="slds-button slds-button_neutral" disabled={index === draft.steps.length - 1} onClick={() => move(1)}>
            {t("automation.workflows.moveDown")}
          </button>
          <button type="button" className="slds-button slds-button_neutral" onClick={() => set({ steps: draft.steps.filter((_, i) => i !== index) })}>
            {t("automation.workflows.remove")}
          </button>
        </div>
      </div>
      {other.length ? <FormAlert>{other.join(" ")}</FormAlert> : null}
      {step.type === "create_task" ? (
        <div className="slds-grid slds-gutters slds-wrap">
          <FormElement
            id={`${id}-subject`}
            className="slds-col slds-size_1-of-2"
            label={t("automation.workflows.subject")}
            help={t("automation.workflows.subjectHelp")}
            errors={stepErrors("subject")}
          >
            {(control) => (
              <input
                {...control.aria}
                className="slds-input"
                value={String(step.subject ?? "")}
                onChange={(event) => update({ subject: event.target.value })}
              />
            )}
          </FormElement>
          <FormElement id={`${id}-due`} className="slds-col slds-size_1-of-6" label={t("automation.workflows.dueInDays")} errors={stepErrors("due_in_days")}>
            {(control) => (
              <input
                {...control.aria}
                type="number"
                min={0}
                className="slds-input"
                value={Number(step.due_in_days ?? 0)}
                onChange={(event) => update({ due_in_days: Number(event.target.value) || 0 })}
              />
            )}
          </FormElement>
          <FormElement id={`${id}-assign`} className="slds-col slds-size_1-of-6" label={t("automation.workflows.assignTo")} errors={stepErrors("assign_to")}>
            {(control) => (
              <Select
                id={control.id}
                value={String(step.assign_to ?? "owner")}
                onChange={(value) => update({ assign_to: value === "owner" ? "owner" : Number(value) })}
                options={[{ value: "owner", label: t("automation.workflows.recordOwner") }, ...userOptions]}
              />
            )}
          </FormElement>
          <FormElement id={`${id}-priority`} className="slds-col slds-size_1-of-6" label={t("automation.workflows.priority")} errors={stepErrors("priority")}>
            {(control) => (
              <Select
                id={control.id}
                value={String(step.priority ?? "Normal")}
                onChange={(value) => update({ priority: value })}
                options={["High", "Normal", "Low"].map((value) => ({ value, label: value }))}
              />
            )}
          </FormElement>
        </div>
      ) : null}
      {step.type === "update_field" ? (
        <div className="slds-grid slds-gutters">
          <FormElement id={`${id}-field`} className="slds-col slds-size_1-of-2" label={t("automation.workflows.field")} errors={stepErrors("field")}>
            {(control) => (
              <Select
                id={control.id}
                value={String(step.field ?? "")}
                placeholder="--"
                onChange={(value) => update({ field: value })}
                options={fieldOptions(objectMeta)}
              />
            )}
          </FormElement>
          <FormElement id={`${id}-value`} className="slds-col slds-size_1-of-2" label={t("automation.workflows.value")} errors={stepErrors("value")}>
            {(control) => (
              <input {...control.aria} className="slds-input" value={String(step.value ?? "")} onChange={(event) => update({ value: event.target.value })} />
            )}
          </FormElement>
        </div>
      ) : null}
      {step.type === "assign_round_robin" ? (
        <fieldset className="slds-form-element">
          <legend className="slds-form-element__legend slds-form-element__label">{t("automation.workflows.users")}</legend>
          {userOptions.map((option) => {
            const ids = (step.user_ids as number[] | undefined) ?? [];
            const checked = ids.includes(Number(option.value));
            return (
              <Checkbox
                key={option.value}
                id={`${id}-user-${option.value}`}
                label={option.label}
                checked={checked}
                onChange={(on) => update({ user_ids: on ? [...ids, Number(option.value)] : ids.filter((value) => value !== Number(option.value)) })}
              />
            );
          })}
          {stepErrors("user_ids") ? <div className="slds-text-color_error">{stepErrors("user_ids")?.join(" ")}</div> : null}
        </fieldset>
      ) : null}
      {step.type === "call_webhook" ? (
        <FormElement id={`${id}-webhook`} label={t("automation.workflows.webhook")} errors={stepErrors("webhook_id")}>
          {(control) => (
            <Select
              id={control.id}
              value={step.webhook_id ? String(step.webhook_id) : ""}
              placeholder="--"
              onChange={(value) => update({ webhook_id: value ? Number(value) : null })}
              options={(hooks.data?.results ?? []).map((hook) => ({ value: String(hook.id), label: hook.name }))}
            />
          )}
        </FormElement>
      ) : null}
      {step.type === "send_email_template" ? (
        <div className="slds-grid slds-gutters">
          <FormElement
            id={`${id}-template`}
            className="slds-col slds-size_1-of-2"
            label={t("automation.workflows.emailTemplate")}
            help={t("automation.workflows.emailTemplateHelp")}
            required
            errors={stepErrors("template_id")}
          >
            {(control) => (
              <Select
                id={control.id}
                value={step.template_id ? String(step.template_id) : ""}
                placeholder="--"
                onChange={(value) => update({ template_id: value ? Number(value) : null })}
                options={(templates.data?.results ?? []).map((template) => ({ value: String(template.id), label: template.name }))}
              />
            )}
          </FormElement>
        </div>
      ) : null}
      {step.type === "add_to_campaign" ? (
        <div className="slds-grid slds-gutters">
          <FormElement
            id={`${id}-campaign`}
            className="slds-col slds-size_1-of-2"
            label={t("automation.workflows.campaign")}
            help={t("automation.workflows.campaignHelp")}
            required
            errors={stepErrors("campaign_id")}
          >
            {(control) => (
              <Select
                id={control.id}
                value={step.campaign_id ? String(step.campaign_id) : ""}
                placeholder="--"
                onChange={(value) => update({ campaign_id: value ? Number(value) : null })}
                options={(campaigns.data?.results ?? []).map((campaign) => ({ value: String(campaign.id), label: campaign.name }))}
              />
            )}
          </FormElement>
          <FormElement
            id={`${id}-member-status`}
            className="slds-col slds-size_1-of-4"
            label={t("automation.workflows.memberStatus")}
            errors={stepErrors("status")}
          >
            {(control) => (
              <Select
                id={control.id}
                value={String(step.status ?? "Sent")}
                onChange={(value) => update({ status: value })}
                options={MEMBER_STATUSES.map((value) => ({ value, label: t(`automation.workflows.memberStatuses.${value}`) }))}
              />
            )}
          </FormElement>
        </div>
      ) : null}
      {step.type === "add_tag" ? <AddTagStepFields id={id} step={step} onChange={update} errors={stepErrors("tag_id")} /> : null}
      {step.type === "wait" ? (
        <div className="slds-grid slds-gutters">
          <FormElement id={`${id}-wait`} className="slds-col slds-size_1-of-3" label={t("automation.workflows.waitFor")}>
            {(control) => (
              <Select
                id={control.id}
                value={waitKey}
                onChange={(value) => replace(value === "until_field" ? { type: "wait", until_field: "" } : { type: "wait", [value]: 1 })}
                options={[
                  { value: "minutes", label: t("automation.workflows.minutes") },
                  { value: "days", label: t("automation.workflows.days") },
                  { value: "until_field", label: t("automation.workflows.untilField") },
                ]}
              />
            )}
          </FormElement>
          <FormElement
            id={`${id}-amount`}
            className="slds-col slds-size_1-of-3"
            label={waitKey === "until_field" ? t("automation.workflows.field") : t("automation.workflows.amount")}
            errors={stepErrors(waitKey)}
          >
            {(control) =>
              waitKey === "until_field" ? (
                <Select
                  id={control.id}
                  value={String(step.until_field ?? "")}
                  placeholder="--"
                  onChange={(value) => update({ until_field: value })}
                  options={fieldOptions(objectMeta, ["date", "datetime"])}
                />
              ) : (
                <input
                  {...control.aria}
                  type="number"
                  min={1}
                  className="slds-input"
                  value={Number(step[waitKey] ?? 1)}
                  onChange={(event) => update({ [waitKey]: Number(event.target.value) || 1 })}
                />
              )
            }
          </FormElement>
        </div>
      ) : null}
    </section>
  );
}
