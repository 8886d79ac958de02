import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch, renderWithApp } from "../../testing/render";
import { bodyOf, WorkflowBuilder, type Draft } from "./workflow-builder-page";

afterEach(() => vi.unstubAllGlobals());

const page = (results: object[]) => ({ count: results.length, next: null, previous: null, results });

describe("bodyOf", () => {
  it("sends conditions as the server reads them: lists for 'is one of', no value for emptiness", () => {
    const draft: Draft = {
      name: "x",
      description: "",
      object_name: "opportunity",
      trigger: { type: "stage_changed", to: "Closed Won" },
      match: "any",
      rules: [
        { field: "stage", op: "in", value: "Proposal, Negotiation" },
        { field: "description", op: "is_empty", value: "ignored" },
      ],
      steps: [{ type: "wait", days: 2 }],
      debounceMinutes: 5,
      is_active: true,
    };
    expect(bodyOf(draft)).toMatchObject({
      conditions: {
        match: "any",
        rules: [
          { field: "stage", op: "in", value: ["Proposal", "Negotiation"] },
          { field: "description", op: "is_empty" },
        ],
      },
      debounce_seconds: 300,
    });
    expect(bodyOf(draft).conditions.rules[1]).not.toHaveProperty("value");
  });
});

describe("WorkflowBuilder", () => {
  it("builds a trigger, a condition and steps, and shows the server's field errors on the step", async () => {
    const calls = mockFetch((call) => {
      if (call.method === "POST")
        return [
          400,
          { code: "invalid_workflow", message: "Please correct the errors below.", errors: { "steps.1.days": ["Give a whole number from 1 to 3650."] } },
        ];
      return [200, page([])];
    });
    renderWithApp(<WorkflowBuilder />, { path: "/setup/workflows/new", route: "/setup/workflows/:id" });
    fireEvent.change(screen.getByLabelText(/Workflow name/), { target: { value: "Follow up new accounts" } });
    fireEvent.change(screen.getByLabelText("Object"), { target: { value: "account" } });
    fireEvent.click(screen.getByRole("button", { name: "Add Condition" }));
    fireEvent.change(screen.getByLabelText("Field 1"), { target: { value: "name" } });
    fireEvent.change(screen.getByLabelText("Operator 1"), { target: { value: "contains" } });
    fireEvent.change(screen.getByLabelText("Value 1"), { target: { value: "Ltd" } });
    fireEvent.change(screen.getByLabelText("Add Step"), { target: { value: "wait" } });
    fireEvent.click(screen.getByRole("button", { name: "Add Step" }));
    const wait = screen.getByRole("region", { name: "Step 2" });
    expect(within(wait).getByRole("heading")).toHaveTextContent("Step 2: Wait");
    fireEvent.click(within(screen.getByRole("region", { name: "Step 2" })).getByRole("button", { name: "Move up" }));
    expect(within(screen.getByRole("region", { name: "Step 1" })).getByRole("heading")).toHaveTextContent("Wait");
    fireEvent.click(within(screen.getByRole("region", { name: "Step 1" })).getByRole("button", { name: "Move down" }));
    fireEvent.click(screen.getAllByRole("button", { name: "Save" })[0]);
    await waitFor(() => expect(calls.some((call) => call.method === "POST")).toBe(true));
    const body = calls.find((call) => call.method === "POST")?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      name: "Follow up new accounts",
      object_name: "account",
      trigger: { type: "record_created" },
      conditions: { match: "all", rules: [{ field: "name", op: "contains", value: "Ltd" }] },
      steps: [
        { type: "create_task", due_in_days: 1, assign_to: "owner" },
        { type: "wait", days: 1 },
      ],
    });
    expect(await within(screen.getByRole("region", { name: "Step 2" })).findByText("Give a whole number from 1 to 3650.")).toBeInTheDocument();
  });

  it("picks an email template and a campaign with a member status for the marketing steps", async () => {
    const calls = mockFetch((call) => {
      if (call.method === "POST")
        return [
          400,
          {
            code: "invalid_workflow",
            message: "Please correct the errors below.",
            errors: { "steps.2.campaign_id": ["Give the id of one of the organization's active campaigns."] },
          },
        ];
      if (call.url.includes("email-templates")) return [200, page([{ id: 7, name: "Welcome mail" }])];
      if (call.url.includes("campaigns")) return [200, page([{ id: 9, name: "Spring webinar" }])];
      return [200, page([])];
    });
    renderWithApp(<WorkflowBuilder />, { path: "/setup/workflows/new", route: "/setup/workflows/:id" });
    fireEvent.change(screen.getByLabelText(/Workflow name/), { target: { value: "Welcome new contacts" } });
    fireEvent.change(screen.getByLabelText("Object"), { target: { value: "contact" } });
    fireEvent.change(screen.getByLabelText("Add Step"), { target: { value: "send_email_template" } });
    fireEvent.click(screen.getByRole("button", { name: "Add Step" }));
    fireEvent.change(screen.getByLabelText("Add Step"), { target: { value: "add_to_campaign" } });
    fireEvent.click(screen.getByRole("button", { name: "Add Step" }));
    const send = screen.getByRole("region", { name: "Step 2" });
    expect(within(send).getByRole("heading")).toHaveTextContent("Step 2: Send an email template");
    await within(send).findByRole("option", { name: "Welcome mail" });
    fireEvent.change(within(send).getByLabelText(/Email template/), { target: { value: "7" } });
    const add = screen.getByRole("region", { name: "Step 3" });
    await within(add).findByRole("option", { name: "Spring webinar" });
    fireEvent.change(within(add).getByLabelText(/Campaign/), { target: { value: "9" } });
    fireEvent.change(within(add).getByLabelText("Member status"), { target: { value: "Responded" } });
    fireEvent.click(screen.getAllByRole("button", { name: "Save" })[0]);
    await waitFor(() => expect(calls.some((call) => call.method === "POST")).toBe(true));
    const body = calls.find((call) => call.method === "POST")?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      object_name: "contact",
      steps: [{ type: "create_task" }, { type: "send_email_template", template_id: 7 }, { type: "add_to_campaign", campaign_id: 9, status: "Responded" }],
    });
    expect(
      await within(screen.getByRole("region", { name: "Step 3" })).findByText("Give the id of one of the organization's active campaigns."),
    ).toBeInTheDocument();
  });
});
