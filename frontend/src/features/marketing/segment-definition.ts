/**
 * The segment builder's draft and the definition the server reads (see the segments API):
 * `{match: "all" | "any", conditions: [field | campaign | last_activity | nested group]}`.
 */
import type { SegmentFields, SegmentTarget } from "./api/marketing-queries";

export type FieldCondition = { key: string; type: "field"; field: string; op: string; value: string };
export type CampaignCondition = { key: string; type: "campaign"; campaign_id: number | null; campaign_name: string; status: string; negate: boolean };
export type ActivityCondition = { key: string; type: "last_activity"; op: "within_days" | "not_within_days"; days: string };
export type GroupCondition = { key: string; type: "group"; match: "all" | "any"; conditions: Condition[] };
export type Condition = FieldCondition | CampaignCondition | ActivityCondition | GroupCondition;
export type GroupDraft = { match: "all" | "any"; conditions: Condition[] };

/** Operators that take no value. */
export const VALUELESS_OPS = new Set(["is_empty", "is_not_empty"]);

let counter = 0;
export function newKey(): string {
  counter += 1;
  return `c${counter}`;
}

type FieldRow = SegmentFields["fields"][number];

/** The fields a condition may use for the segment's target: those of either object for "both". */
export function fieldsFor(fields: SegmentFields | undefined, target: SegmentTarget): FieldRow[] {
  if (!fields) return [];
  return fields.fields.filter((row) => target === "both" || row.targets.includes(target));
}

export function operatorsFor(fields: SegmentFields | undefined, field: string): string[] {
  const row = fields?.fields.find((item) => item.name === field);
  return row ? (fields?.operators[row.kind] ?? []) : [];
}

export function kindOf(fields: SegmentFields | undefined, field: string): "text" | "number" | "date" {
  return fields?.fields.find((item) => item.name === field)?.kind ?? "text";
}

/** A first condition of each type, for the Add buttons. */
export function blankCondition(type: Condition["type"], fields: SegmentFields | undefined, target: SegmentTarget): Condition {
  if (type === "campaign") return { key: newKey(), type, campaign_id: null, campaign_name: "", status: "", negate: false };
  if (type === "last_activity") return { key: newKey(), type, op: "within_days", days: "30" };
  if (type === "group") return { key: newKey(), type, match: "any", conditions: [blankCondition("field", fields, target)] };
  const field = fieldsFor(fields, target)[0]?.name ?? "email";
  const ops = operatorsFor(fields, field);
  return { key: newKey(), type: "field", field, op: ops.includes("contains") ? "contains" : (ops[0] ?? "equals"), value: "" };
}

/** The draft of a saved definition (unknown entries are dropped; the server never stores them). */
export function draftOf(definition: unknown): GroupDraft {
  const group = (definition ?? {}) as { match?: string; conditions?: unknown[] };
  return {
    match: group.match === "any" ? "any" : "all",
    conditions: (Array.isArray(group.conditions) ? group.conditions : []).flatMap((item): Condition[] => {
      const raw = (item ?? {}) as Record<string, unknown>;
      const type = (raw.type as string | undefined) ?? (Array.isArray(raw.conditions) ? "group" : "field");
      if (type === "group") {
        const inner = draftOf(raw);
        return [{ key: newKey(), type: "group", match: inner.match, conditions: inner.conditions }];
      }
      if (type === "campaign") {
        return [
          {
            key: newKey(),
            type: "campaign",
            campaign_id: typeof raw.campaign_id === "number" ? raw.campaign_id : null,
            campaign_name: "",
            status: typeof raw.status === "string" ? raw.status : "",
            negate: raw.negate === true,
          },
        ];
      }
      if (type === "last_activity") {
        return [{ key: newKey(), type: "last_activity", op: raw.op === "not_within_days" ? "not_within_days" : "within_days", days: String(raw.days ?? "") }];
      }
      if (type === "field") {
        return [
          {
            key: newKey(),
            type: "field",
            field: String(raw.field ?? ""),
            op: String(raw.op ?? ""),
            value: raw.value === undefined || raw.value === null ? "" : String(raw.value),
          },
        ];
      }
      return [];
    }),
  };
}

function fieldValue(condition: FieldCondition, fields: SegmentFields | undefined): unknown {
  const kind = kindOf(fields, condition.field);
  if (kind === "number" || (kind === "date" && condition.op === "within_days")) {
    const number = Number(condition.value);
    return condition.value.trim() !== "" && Number.isInteger(number) ? number : condition.value;
  }
  return condition.value;
}

/**
 * The definition of a draft, as the server reads it. A campaign condition without a campaign yet is
 * left out (the builder shows it as incomplete) so the live count keeps working while it is filled in.
 */
export function definitionOf(draft: GroupDraft, fields: SegmentFields | undefined): { match: "all" | "any"; conditions: unknown[] } {
  return {
    match: draft.match,
    conditions: draft.conditions.flatMap((condition): unknown[] => {
      switch (condition.type) {
        case "group":
          return [definitionOf(condition, fields)];
        case "campaign":
          if (condition.campaign_id === null) return [];
          return [
            {
              type: "campaign",
              campaign_id: condition.campaign_id,
              ...(condition.status ? { status: condition.status } : {}),
              ...(condition.negate ? { negate: true } : {}),
            },
          ];
        case "last_activity":
          return [
            {
              type: "last_activity",
              op: condition.op,
              days: Number.isInteger(Number(condition.days)) && condition.days.trim() !== "" ? Number(condition.days) : condition.days,
            },
          ];
        default:
          return [
            VALUELESS_OPS.has(condition.op)
              ? { field: condition.field, op: condition.op }
              : { field: condition.field, op: condition.op, value: fieldValue(condition, fields) },
          ];
      }
    }),
  };
}

/** How many conditions a draft holds, groups' own conditions included (the server allows at most 50). */
export function conditionCount(draft: GroupDraft): number {
  return draft.conditions.reduce((sum, condition) => sum + 1 + (condition.type === "group" ? conditionCount(condition) : 0), 0);
}

/** Replace the condition with `key` anywhere in the draft (null removes it). */
export function replaceCondition(draft: GroupDraft, key: string, next: Condition | null): GroupDraft {
  return {
    ...draft,
    conditions: draft.conditions.flatMap((condition) => {
      if (condition.key === key) return next ? [next] : [];
      if (condition.type === "group") return [{ ...condition, ...replaceCondition(condition, key, next) }];
      return [condition];
    }),
  };
}
