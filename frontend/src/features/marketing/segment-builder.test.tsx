import { fireEvent, screen, within } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { renderWithApp } from "../../testing/render";
import type { SegmentFields, SegmentTarget } from "./api/marketing-queries";
import { ConditionGroup } from "./segment-conditions";
import { conditionCount, definitionOf, draftOf, type GroupDraft } from "./segment-definition";

/** What GET /segments/fields answers (a part of it). */
const FIELDS: SegmentFields = {
  fields: [
    { name: "first_name", kind: "text", targets: ["contacts", "leads"] },
    { name: "email", kind: "text", targets: ["contacts", "leads"] },
    { name: "owner_id", kind: "number", targets: ["contacts", "leads"] },
    { name: "created_at", kind: "date", targets: ["contacts", "leads"] },
    { name: "account__name", kind: "text", targets: ["contacts"] },
    { name: "company", kind: "text", targets: ["leads"] },
  ],
  operators: {
    text: ["contains", "equals", "is_empty", "is_not_empty", "not_contains", "not_equals", "starts_with"],
    number: ["equals", "is_empty", "is_not_empty", "not_equals"],
    date: ["after", "before", "within_days"],
  },
  activity_operators: ["within_days", "not_within_days"],
  member_statuses: ["Planned", "Sent", "Opened"],
  max_conditions: 50,
  max_depth: 3,
};

describe("segment definitions", () => {
  it("round-trips a saved definition with groups, campaign membership and last activity", () => {
    const saved = {
      match: "any",
      conditions: [
        { field: "email", op: "contains", value: "@acme.example" },
        {
          match: "all",
          conditions: [
            { field: "owner_id", op: "equals", value: 7 },
            { type: "last_activity", op: "not_within_days", days: 30 },
          ],
        },
        { type: "campaign", campaign_id: 3, status: "Opened", negate: true },
      ],
    };
    const draft = draftOf(saved);
    expect(conditionCount(draft)).toBe(5);
    expect(definitionOf(draft, FIELDS)).toEqual(saved);
  });

  it("sends numbers for number fields and day counts, no value for emptiness, and leaves out a campaign not yet picked", () => {
    const draft = draftOf({
      conditions: [
        { field: "owner_id", op: "equals", value: "12" },
        { field: "created_at", op: "within_days", value: "14" },
        { field: "created_at", op: "before", value: "2026-01-31" },
        { field: "email", op: "is_empty", value: "left over" },
        { type: "campaign", campaign_id: null },
        { type: "last_activity", op: "within_days", days: "7" },
      ],
    });
    expect(definitionOf(draft, FIELDS)).toEqual({
      match: "all",
      conditions: [
        { field: "owner_id", op: "equals", value: 12 },
        { field: "created_at", op: "within_days", value: 14 },
        { field: "created_at", op: "before", value: "2026-01-31" },
        { field: "email", op: "is_empty" },
        { type: "last_activity", op: "within_days", days: 7 },
      ],
    });
  });

  it("keeps what is typed when it is not a number, so the server names the problem", () => {
    const draft = draftOf({ conditions: [{ field: "owner_id", op: "equals", value: "twelve" }] });
    expect(definitionOf(draft, FIELDS).conditions).toEqual([{ field: "owner_id", op: "equals", value: "twelve" }]);
  });
});

function Builder({ initial, target = "contacts" }: { initial: GroupDraft; target?: SegmentTarget }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <ConditionGroup value={value} onChange={setValue} fields={FIELDS} target={target} label="Conditions" />
      <output data-testid="definition">{JSON.stringify(definitionOf(value, FIELDS))}</output>
    </>
  );
}

const definition = () => JSON.parse(screen.getByTestId("definition").textContent ?? "{}");

describe("ConditionGroup", () => {
  it("adds a field condition with the target's fields and operators of the field's kind", () => {
    renderWithApp(<Builder initial={{ match: "all", conditions: [] }} />);
    expect(screen.getByText(/No conditions/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Add field condition" }));
    const field = screen.getByLabelText("Field of condition 1") as HTMLSelectElement;
    const options = within(field)
      .getAllByRole("option")
      .map((option) => (option as HTMLOptionElement).value);
    // A contacts segment offers the account's name, not a lead's company.
    expect(options).toContain("account__name");
    expect(options).not.toContain("company");
    expect((screen.getByLabelText("Operator of condition 1") as HTMLSelectElement).value).toBe("contains");
    fireEvent.change(screen.getByLabelText("Value of condition 1"), { target: { value: "@acme" } });
    expect(definition()).toEqual({ match: "all", conditions: [{ field: "first_name", op: "contains", value: "@acme" }] });

    // A date field offers date operators; "is empty" takes no value.
    fireEvent.change(field, { target: { value: "created_at" } });
    const ops = within(screen.getByLabelText("Operator of condition 1"))
      .getAllByRole("option")
      .map((option) => (option as HTMLOptionElement).value);
    expect(ops).toEqual(["after", "before", "within_days"]);
    fireEvent.change(field, { target: { value: "email" } });
    fireEvent.change(screen.getByLabelText("Operator of condition 1"), { target: { value: "is_empty" } });
    expect(screen.queryByLabelText("Value of condition 1")).toBeNull();
    expect(definition().conditions).toEqual([{ field: "email", op: "is_empty" }]);
  });

  it("joins with AND or OR, nests a group, and removes conditions", () => {
    renderWithApp(<Builder initial={draftOf({ conditions: [{ field: "email", op: "contains", value: "@acme" }] })} target="leads" />);
    fireEvent.click(screen.getByRole("button", { name: "Add last activity" }));
    expect(screen.getByText("and")).toBeInTheDocument();
    fireEvent.click(screen.getByLabelText("Any condition (OR)"));
    expect(screen.getByText("or")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Add group" }));
    const group = screen.getByRole("group", { name: "Group 3" });
    // The nested group's own field list follows the target: leads have a company.
    const nestedField = within(group).getByLabelText("Field of condition 1") as HTMLSelectElement;
    expect(
      within(nestedField)
        .getAllByRole("option")
        .map((option) => (option as HTMLOptionElement).value),
    ).toContain("company");
    fireEvent.change(within(group).getByLabelText("Value of condition 1"), { target: { value: "Studio" } });
    expect(definition()).toEqual({
      match: "any",
      conditions: [
        { field: "email", op: "contains", value: "@acme" },
        { type: "last_activity", op: "within_days", days: 30 },
        { match: "any", conditions: [{ field: "first_name", op: "contains", value: "Studio" }] },
      ],
    });
    fireEvent.click(screen.getByRole("button", { name: "Remove condition 2" }));
    expect(definition().conditions).toHaveLength(2);
    expect(definition().conditions[1]).toHaveProperty("match", "any");
  });

  it("offers no deeper group past the server's depth", () => {
    renderWithApp(<Builder initial={draftOf({ conditions: [{ match: "all", conditions: [{ match: "all", conditions: [] }] }] })} />);
    // Depth 1 and 2 may add a group; the innermost (depth 3) may not.
    expect(screen.getAllByRole("button", { name: "Add group" })).toHaveLength(2);
  });
});
