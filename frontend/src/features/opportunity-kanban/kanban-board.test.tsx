import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch, renderWithApp } from "../../testing/render";
import { KanbanBoard } from "./kanban-board";
import type { PipelineColumn } from "./api/pipeline-queries";
import { moveCard, usePipelineBoard } from "./use-pipeline-board";

afterEach(() => vi.unstubAllGlobals());

const card = (id: number, name: string, amount: string) => ({
  id,
  name,
  account_id: 1,
  account_name: "Acme",
  amount,
  close_date: "2025-06-30",
  owner_name: "Demo Admin",
  version: 3,
});

const pipeline = (): { stages: PipelineColumn[] } => ({
  stages: [
    {
      name: "Prospecting",
      probability: 10,
      is_closed: false,
      is_won: false,
      count: 3,
      amount: "1500.00",
      opportunities: [card(1, "Website", "1000.00"), card(2, "Logo", "500.00")],
    },
    { name: "Closed Won", probability: 100, is_closed: true, is_won: true, count: 0, amount: "0.00", opportunities: [] },
  ],
});

function Harness() {
  const board = usePipelineBoard();
  return (
    <>
      <KanbanBoard columns={board.columns} onMove={(id, stage) => void board.move(id, stage)} onLoadMore={(stage) => void board.loadMore(stage)} />
      <button type="button" onClick={() => void board.move(1, "Closed Won")}>
        test-move
      </button>
    </>
  );
}

describe("KanbanBoard", () => {
  it("renders one column per stage with count, money sum, cards and Load more", async () => {
    const calls = mockFetch((call) => {
      if (call.url.includes("offset=2")) {
        return [200, { stages: [{ ...pipeline().stages[0], opportunities: [card(7, "Hosting", "0.00")] }] }];
      }
      return [200, pipeline()];
    });
    renderWithApp(<Harness />);
    const column = await screen.findByRole("listitem", { name: "Prospecting" });
    expect(within(column).getByText("3 opportunities")).toBeInTheDocument();
    expect(within(column).getByText("€1,500.00")).toBeInTheDocument();
    expect(within(column).getByRole("link", { name: "Website" })).toHaveAttribute("href", "/o/opportunity/1");
    expect(within(column).getAllByText("Acme")).toHaveLength(2);
    expect(within(screen.getByRole("listitem", { name: "Closed Won" })).getByText("No opportunities")).toBeInTheDocument();

    fireEvent.click(within(column).getByRole("button", { name: "Load more" }));
    expect(await within(column).findByRole("link", { name: "Hosting" })).toBeInTheDocument();
    expect(calls.at(-1)?.url).toBe("/api/v1/opportunities/pipeline?stage=Prospecting&offset=2&limit_per_stage=25");
    expect(within(column).queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
  });

  it("moves the card back and shows the server's message when the save fails", async () => {
    const calls = mockFetch((call) => {
      if (call.method === "PATCH") return [400, { code: "validation_error", message: "Invalid input.", errors: { stage: ["Add products before closing."] } }];
      return [200, pipeline()];
    });
    renderWithApp(<Harness />);
    const source = await screen.findByRole("listitem", { name: "Prospecting" });
    fireEvent.click(screen.getByRole("button", { name: "test-move" }));
    const target = screen.getByRole("listitem", { name: "Closed Won" });
    // Optimistic: the card shows in the new column at once.
    expect(within(target).getByRole("link", { name: "Website" })).toBeInTheDocument();
    expect(await screen.findByRole("alert")).toHaveTextContent("Could not move “Website”: Add products before closing.");
    await waitFor(() => expect(within(source).getByRole("link", { name: "Website" })).toBeInTheDocument());
    expect(within(target).queryByRole("link", { name: "Website" })).not.toBeInTheDocument();
    expect(within(source).getByText("€1,500.00")).toBeInTheDocument();
    expect(
      within(source)
        .getAllByRole("link")
        .map((link) => link.textContent),
    ).toEqual(["Website", "Logo"]);
    expect(calls.find((call) => call.method === "PATCH")).toMatchObject({ url: "/api/v1/opportunities/1", body: { stage: "Closed Won", version: 3 } });
  });

  it("keeps the move and updates the totals when the save succeeds", () => {
    const moved = moveCard(pipeline().stages, 1, "Closed Won");
    expect(moved[0]).toMatchObject({ count: 2, amount: "500.00" });
    expect(moved[1]).toMatchObject({ count: 1, amount: "1000.00" });
    expect(moved[1].opportunities[0].name).toBe("Website");
  });
});
