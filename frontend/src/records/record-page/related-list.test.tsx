import { fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { accountMeta } from "../../testing/fixtures";
import { mockFetch, renderWithApp } from "../../testing/render";
import type { RelatedListMeta } from "../metadata/types";
import { RelatedList } from "./related-list";

afterEach(() => vi.unstubAllGlobals());

const account = { id: 7, version: 1, name: "Acme", is_active: true };
const opportunities: RelatedListMeta = {
  object: "opportunity",
  field: "account_id",
  label: "Opportunities",
  columns: ["name", "stage"],
  key: "opportunities",
};

describe("RelatedList", () => {
  it("shows the embedded rows, and New pre-fills and locks the parent lookup", async () => {
    const calls = mockFetch(() => [200, { results: [], count: 0 }]);
    const parent = { ...account, opportunities: [{ id: 3, name: "Website redesign", stage: "Prospecting", version: 1 }] };
    renderWithApp(<RelatedList parentMeta={accountMeta} parent={parent} related={opportunities} onChanged={() => undefined} />);

    const card = screen.getByRole("article", { name: /Opportunities \(1\)/ });
    expect(within(card).getByRole("link", { name: "Website redesign" })).toHaveAttribute("href", "/o/opportunity/3");
    expect(calls).toHaveLength(0); // embedded rows need no request

    fireEvent.click(within(card).getByRole("button", { name: /New/ }));
    const dialog = await screen.findByRole("dialog", { name: "New Opportunity" });
    const lookup = within(dialog).getByLabelText(/Account Name/);
    expect(lookup).toHaveValue("Acme");
    expect(lookup).toBeDisabled();
  });

  it("reads rows through the list filter when the detail does not embed them, and offers no New for generated records", async () => {
    const calls = mockFetch(() => [200, { results: [{ id: 11, amount: "250.00", payment_method: "Cash", status: "Completed", version: 1 }], count: 1 }]);
    const payments: RelatedListMeta = { object: "payment", field: "account_id", label: "Payments", columns: ["amount", "status"], key: "" };
    renderWithApp(<RelatedList parentMeta={accountMeta} parent={account} related={payments} onChanged={() => undefined} />);

    expect(await screen.findByRole("article", { name: /Payments \(1\)/ })).toBeInTheDocument();
    expect(calls[0].url).toBe("/api/v1/payments?account_id=7&page_size=10");
    expect(await screen.findByText("Completed")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /New/ })).toBeNull();
  });

  it("offers no New on a deactivated parent", () => {
    mockFetch(() => [200, { results: [], count: 0 }]);
    renderWithApp(
      <RelatedList parentMeta={accountMeta} parent={{ ...account, is_active: false, opportunities: [] }} related={opportunities} onChanged={() => undefined} />,
    );
    expect(screen.getByRole("article", { name: /Opportunities \(0\)/ })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /New/ })).toBeNull();
  });
});
