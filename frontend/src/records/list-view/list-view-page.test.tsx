import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch, renderWithApp } from "../../testing/render";
import { ListViewPage } from "./list-view-page";

const rows = [
  { id: 1, version: 1, name: "Acme Logistics", phone: "+359 2 1", type: "Customer", owner_id: 1, owner_name: "Demo Admin" },
  { id: 2, version: 1, name: "Blue Harbor", phone: "", type: "Prospect", owner_id: 2, owner_name: "Maria Ivanova" },
];

afterEach(() => vi.unstubAllGlobals());

function listCalls(calls: { url: string }[]) {
  return calls.filter((call) => call.url.startsWith("/api/v1/accounts")).map((call) => new URL(call.url, "http://x").searchParams);
}

describe("ListViewPage", () => {
  it("renders columns and rows from metadata with the item count", async () => {
    mockFetch(() => [200, { count: 2, next: null, previous: null, results: rows }]);
    renderWithApp(<ListViewPage />, { path: "/o/account", route: "/o/:object" });
    expect(await screen.findByRole("link", { name: "Acme Logistics" })).toHaveAttribute("href", "/o/account/1");
    const table = screen.getByRole("table", { name: "All Accounts" });
    expect(within(table).getAllByRole("columnheader").map((th) => th.querySelector(".slds-truncate")?.textContent)).toEqual([
      "Account Name",
      "Phone",
      "Type",
      "Account Owner",
    ]);
    expect(screen.getByText("2 items • Sorted by Account Name")).toBeInTheDocument();
    expect(screen.getByText("Maria Ivanova")).toBeInTheDocument();
  });

  it("sorts, filters by owner and by picklist through the API", async () => {
    const calls = mockFetch(() => [200, { count: 2, next: null, previous: null, results: rows }]);
    renderWithApp(<ListViewPage />, { path: "/o/account", route: "/o/:object" });
    await screen.findByRole("link", { name: "Acme Logistics" });
    expect(listCalls(calls)[0].get("ordering")).toBe("name");

    fireEvent.click(screen.getByRole("button", { name: /Account Name/ }));
    await waitFor(() => expect(listCalls(calls).at(-1)?.get("ordering")).toBe("-name"));

    fireEvent.click(screen.getByRole("button", { name: "My Accounts" }));
    await waitFor(() => expect(listCalls(calls).at(-1)?.get("owner")).toBe("me"));
    expect(screen.getByRole("heading", { level: 1, name: "My Accounts" })).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText("Type"), { target: { value: "Customer" } });
    await waitFor(() => expect(listCalls(calls).at(-1)?.get("type")).toBe("Customer"));
  });

  it("searches as the user types", async () => {
    const calls = mockFetch(() => [200, { count: 0, next: null, previous: null, results: [] }]);
    renderWithApp(<ListViewPage />, { path: "/o/account", route: "/o/:object" });
    expect(await screen.findByText("No items to display.")).toBeInTheDocument();
    fireEvent.change(screen.getByRole("searchbox", { name: "Search Accounts" }), { target: { value: "acme" } });
    await waitFor(() => expect(listCalls(calls).at(-1)?.get("search")).toBe("acme"));
  });

  it("opens the New form modal", async () => {
    mockFetch(() => [200, { count: 0, next: null, previous: null, results: [] }]);
    renderWithApp(<ListViewPage />, { path: "/o/account", route: "/o/:object" });
    fireEvent.click(await screen.findByRole("button", { name: "New" }));
    expect(screen.getByRole("dialog", { name: "New Account" })).toBeInTheDocument();
  });

  it("shows the not-found page for an unknown object", () => {
    mockFetch(() => [200, {}]);
    renderWithApp(<ListViewPage />, { path: "/o/spaceship", route: "/o/:object" });
    expect(screen.getByRole("heading", { name: "Page not found" })).toBeInTheDocument();
  });
});
