import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch, renderWithApp } from "../../testing/render";
import { StageSettings } from "./stage-settings-page";
import { moveRow, validateStages, type StageRow } from "./stage-validation";

afterEach(() => vi.unstubAllGlobals());

const row = (name: string, extra: Partial<StageRow> = {}): StageRow => ({
  key: name,
  name,
  probability: 10,
  is_closed: false,
  is_won: false,
  is_active: true,
  ...extra,
});

describe("validateStages", () => {
  it("accepts a valid list", () => {
    expect(validateStages([row("Prospecting"), row("Closed Won", { is_closed: true, is_won: true, probability: 100 })])).toEqual({});
  });

  it("reports empty and duplicate names, bad probability and won-but-open stages by row", () => {
    const errors = validateStages([row("Prospecting"), row(" prospecting "), row("", { probability: 101 }), row("Won", { is_won: true })]);
    expect(errors["1.name"]).toEqual(["work.admin.errors.nameDuplicate"]);
    expect(errors["2.name"]).toEqual(["work.admin.errors.nameRequired"]);
    expect(errors["2.probability"]).toEqual(["work.admin.errors.probabilityRange"]);
    expect(errors["3.is_won"]).toEqual(["work.admin.errors.wonNotClosed"]);
  });

  it("needs an active open stage and an active won stage", () => {
    const errors = validateStages([row("Won", { is_closed: true, is_won: true, is_active: false }), row("Lost", { is_closed: true })]);
    expect(errors.non_field_errors).toEqual(["work.admin.errors.needOpen", "work.admin.errors.needWon"]);
  });

  it("moves rows up and down within bounds", () => {
    expect(moveRow(["a", "b", "c"], 2, 1)).toEqual(["a", "c", "b"]);
    expect(moveRow(["a", "b"], 0, -1)).toEqual(["a", "b"]);
  });
});

describe("StageSettings", () => {
  const stages = [
    { id: 1, name: "Prospecting", probability: 10, is_closed: false, is_won: false, is_active: true, position: 0 },
    { id: 2, name: "Closed Won", probability: 100, is_closed: true, is_won: true, is_active: true, position: 1 },
  ];

  it("shows validation errors inline and does not save", async () => {
    const calls = mockFetch(() => [200, stages]);
    renderWithApp(<StageSettings />);
    const name = await screen.findByLabelText("Stage Name 1");
    fireEvent.change(name, { target: { value: "Closed Won" } });
    fireEvent.change(screen.getAllByRole("spinbutton")[1], { target: { value: "150" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("This name is used twice.")).toBeInTheDocument();
    expect(screen.getByText("Enter a number from 0 to 100.")).toBeInTheDocument();
    expect(calls.filter((call) => call.method === "PUT")).toHaveLength(0);
  });

  it("saves the reordered list and shows server errors inline", async () => {
    const calls = mockFetch((call) =>
      call.method === "PUT"
        ? [400, { code: "invalid_stages", message: "The stage list is not valid.", errors: { "0.name": ["Stage 'Closed Won' is used by opportunities."] } }]
        : [200, stages],
    );
    renderWithApp(<StageSettings />);
    fireEvent.click(await screen.findByRole("button", { name: "Move Closed Won up" }));
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(calls.some((call) => call.method === "PUT")).toBe(true));
    expect(calls.find((call) => call.method === "PUT")!.body).toEqual([
      { name: "Closed Won", probability: 100, is_closed: true, is_won: true, is_active: true },
      { name: "Prospecting", probability: 10, is_closed: false, is_won: false, is_active: true },
    ]);
    expect(await screen.findByText("Stage 'Closed Won' is used by opportunities.")).toBeInTheDocument();
  });
});
