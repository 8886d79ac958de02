import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { i18next } from "../../lib/i18n";
import { mockFetch, renderWithApp, type FetchCall } from "../../testing/render";
import { ListViewPage } from "./list-view-page";

const rows = [
  { id: 1, version: 1, name: "Acme Logistics", phone: "+359 2 1", type: "Customer", owner_id: 1, owner_name: "Demo Admin" },
  { id: 2, version: 1, name: "Blue Harbor", phone: "", type: "Prospect", owner_id: 2, owner_name: "Maria Ivanova" },
];

afterEach(() => vi.unstubAllGlobals());

function listCalls(calls: { url: string }[]) {
  return calls.filter((call) => call.url.startsWith("/api/v1/accounts")).map((call) => new URL(call.url, "http://x").searchParams);
}

/** The requests for rows (by keyset cursor) and for the count (page numbers). */
const pageCalls = (calls: FetchCall[]) => listCalls(calls).filter((params) => params.has("cursor"));
const countCalls = (calls: FetchCall[]) => listCalls(calls).filter((params) => !params.has("cursor"));

function account(id: number) {
  return { id, version: 1, name: `Account ${id}`, phone: "", type: "Customer", owner_id: 1, owner_name: "Demo Admin" };
}

/** A list of accounts served like the API: 25 rows a page by cursor "", "c2", "c3"…, and a count that stops at `cap`. */
function serveAccounts(total: number, cap = 10_000) {
  return mockFetch((call) => {
    if (call.url.startsWith("/api/v1/tags")) return [200, []];
    const params = new URL(call.url, "http://x").searchParams;
    if (!params.has("cursor")) {
      return [200, { count: Math.min(total, cap), count_capped: total > cap, next: null, previous: null, next_cursor: null, results: [account(1)] }];
    }
    const cursor = params.get("cursor");
    const page = cursor ? Number(cursor.slice(1)) : 1;
    const first = (page - 1) * 25 + 1;
    const results = Array.from({ length: Math.max(0, Math.min(25, total - first + 1)) }, (_, index) => account(first + index));
    const nextCursor = page * 25 < total ? `c${page + 1}` : null;
    return [200, { count: null, count_capped: false, next: null, previous: null, next_cursor: nextCursor, results }];
  });
}

describe("ListViewPage", () => {
  it("renders columns and rows from metadata with the item count", async () => {
    mockFetch((call) =>
      call.url.startsWith("/api/v1/tags") ? [200, []] : [200, { count: 2, count_capped: false, next: null, previous: null, next_cursor: null, results: rows }],
    );
    renderWithApp(<ListViewPage />, { path: "/o/account", route: "/o/:object" });
    expect(await screen.findByRole("link", { name: "Acme Logistics" })).toHaveAttribute("href", "/o/account/1");
    const table = screen.getByRole("table", { name: "All Accounts" });
    expect(
      within(table)
        .getAllByRole("columnheader")
        .map((th) => th.querySelector(".slds-truncate")?.textContent),
    ).toEqual(["Account Name", "Phone", "Type", "Account Owner"]);
    expect(await screen.findByText("2 items • Sorted by Account Name")).toBeInTheDocument();
    expect(screen.getByText("Maria Ivanova")).toBeInTheDocument();
    expect(screen.queryByRole("navigation", { name: "Pagination" })).not.toBeInTheDocument();
  });

  it("asks for the first page by cursor and for the count once", async () => {
    const calls = serveAccounts(60);
    renderWithApp(<ListViewPage />, { path: "/o/account", route: "/o/:object" });
    expect(await screen.findByText("60 items • Sorted by Account Name")).toBeInTheDocument();
    expect(pageCalls(calls)).toHaveLength(1);
    expect(pageCalls(calls)[0].get("cursor")).toBe("");
    expect(pageCalls(calls)[0].get("page_size")).toBe("25");
    expect(pageCalls(calls)[0].has("page")).toBe(false);
    expect(countCalls(calls)).toHaveLength(1);
    expect(countCalls(calls)[0].get("page")).toBe("1");
  });

  it("pages an uncapped list by cursor and shows the number of pages", async () => {
    const calls = serveAccounts(60);
    renderWithApp(<ListViewPage />, { path: "/o/account", route: "/o/:object" });
    const pager = await screen.findByRole("navigation", { name: "Pagination" });
    expect(await within(pager).findByText("Page 1 of 3")).toBeInTheDocument();
    expect(within(pager).getByRole("button", { name: "Previous" })).toBeDisabled();

    fireEvent.click(within(pager).getByRole("button", { name: "Next" }));
    expect(await screen.findByRole("link", { name: "Account 26" })).toBeInTheDocument();
    expect(pageCalls(calls).at(-1)?.get("cursor")).toBe("c2");
    expect(within(pager).getByText("Page 2 of 3")).toBeInTheDocument();

    fireEvent.click(within(pager).getByRole("button", { name: "Next" }));
    expect(await screen.findByRole("link", { name: "Account 60" })).toBeInTheDocument();
    expect(within(pager).getByText("Page 3 of 3")).toBeInTheDocument();
    expect(within(pager).getByRole("button", { name: "Next" })).toBeDisabled();
    expect(screen.getByText("60 items • Sorted by Account Name")).toBeInTheDocument();
    expect(countCalls(calls)).toHaveLength(1);
  });

  it("shows a capped count as N+ and pages past the cap with the cursors", async () => {
    const calls = serveAccounts(1_000_000);
    renderWithApp(<ListViewPage />, { path: "/o/account", route: "/o/:object" });
    expect(await screen.findByText("10,000+ items • Sorted by Account Name")).toBeInTheDocument();
    const pager = screen.getByRole("navigation", { name: "Pagination" });
    expect(within(pager).getByText("Page 1")).toBeInTheDocument();

    for (let page = 2; page <= 3; page += 1) {
      fireEvent.click(within(pager).getByRole("button", { name: "Next" }));
      expect(await screen.findByRole("link", { name: `Account ${(page - 1) * 25 + 1}` })).toBeInTheDocument();
      expect(pageCalls(calls).at(-1)?.get("cursor")).toBe(`c${page}`);
      expect(within(pager).getByText(`Page ${page}`)).toBeInTheDocument();
    }
    expect(within(pager).getByRole("button", { name: "Next" })).toBeEnabled();

    fireEvent.click(within(pager).getByRole("button", { name: "Previous" }));
    expect(await screen.findByRole("link", { name: "Account 26" })).toBeInTheDocument();
    expect(within(pager).getByText("Page 2")).toBeInTheDocument();
    await waitFor(() => expect(pageCalls(calls).at(-1)?.get("cursor")).toBe("c2"));

    fireEvent.click(within(pager).getByRole("button", { name: "Previous" }));
    expect(await screen.findByRole("link", { name: "Account 1" })).toBeInTheDocument();
    expect(within(pager).getByText("Page 1")).toBeInTheDocument();
    expect(within(pager).getByRole("button", { name: "Previous" })).toBeDisabled();
    // Paging never recounts: the header keeps the one count.
    expect(screen.getByText("10,000+ items • Sorted by Account Name")).toBeInTheDocument();
    expect(countCalls(calls)).toHaveLength(1);
  });

  it("starts again from the first page when the sort or a filter changes", async () => {
    const calls = serveAccounts(1_000_000);
    renderWithApp(<ListViewPage />, { path: "/o/account", route: "/o/:object" });
    const pager = await screen.findByRole("navigation", { name: "Pagination" });
    await screen.findByRole("link", { name: "Account 1" });
    fireEvent.click(within(pager).getByRole("button", { name: "Next" }));
    expect(await within(pager).findByText("Page 2")).toBeInTheDocument();

    fireEvent.click(screen.getByRole("button", { name: /Account Name/ }));
    await waitFor(() => expect(pageCalls(calls).at(-1)?.get("ordering")).toBe("-name"));
    expect(pageCalls(calls).at(-1)?.get("cursor")).toBe("");
    expect(within(pager).getByText("Page 1")).toBeInTheDocument();
    // The order does not change how many rows there are.
    expect(countCalls(calls)).toHaveLength(1);

    fireEvent.click(within(pager).getByRole("button", { name: "Next" }));
    expect(await within(pager).findByText("Page 2")).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText("Type"), { target: { value: "Customer" } });
    await waitFor(() => expect(pageCalls(calls).at(-1)?.get("type")).toBe("Customer"));
    expect(pageCalls(calls).at(-1)?.get("cursor")).toBe("");
    expect(within(pager).getByText("Page 1")).toBeInTheDocument();
    await waitFor(() => expect(countCalls(calls).at(-1)?.get("type")).toBe("Customer"));
    expect(countCalls(calls)).toHaveLength(2);
  });

  it("formats the capped count for the Bulgarian catalog", async () => {
    serveAccounts(1_000_000);
    await i18next.changeLanguage("bg");
    try {
      renderWithApp(<ListViewPage />, { path: "/o/account", route: "/o/:object" });
      expect(await screen.findByText(/^10\s000\+ записа/)).toBeInTheDocument();
      expect(screen.getByText("Страница 1")).toBeInTheDocument();
    } finally {
      await i18next.changeLanguage("en");
    }
  });

  it("sorts, filters by owner and by picklist through the API", async () => {
    const calls = mockFetch((call) => (call.url.startsWith("/api/v1/tags") ? [200, []] : [200, { count: 2, next: null, previous: null, results: rows }]));
    renderWithApp(<ListViewPage />, { path: "/o/account", route: "/o/:object" });
    await screen.findByRole("link", { name: "Acme Logistics" });
    expect(pageCalls(calls)[0].get("ordering")).toBe("name");

    fireEvent.click(screen.getByRole("button", { name: /Account Name/ }));
    await waitFor(() => expect(pageCalls(calls).at(-1)?.get("ordering")).toBe("-name"));

    fireEvent.click(screen.getByRole("button", { name: "My Accounts" }));
    await waitFor(() => expect(pageCalls(calls).at(-1)?.get("owner")).toBe("me"));
    await waitFor(() => expect(countCalls(calls).at(-1)?.get("owner")).toBe("me"));
    expect(screen.getByRole("heading", { level: 1, name: "My Accounts" })).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText("Type"), { target: { value: "Customer" } });
    await waitFor(() => expect(pageCalls(calls).at(-1)?.get("type")).toBe("Customer"));
  });

  it("searches as the user types", async () => {
    const calls = mockFetch((call) => (call.url.startsWith("/api/v1/tags") ? [200, []] : [200, { count: 0, next: null, previous: null, results: [] }]));
    renderWithApp(<ListViewPage />, { path: "/o/account", route: "/o/:object" });
    expect(await screen.findByText("No items to display.")).toBeInTheDocument();
    fireEvent.change(screen.getByRole("searchbox", { name: "Search Accounts" }), { target: { value: "acme" } });
    await waitFor(() => expect(pageCalls(calls).at(-1)?.get("search")).toBe("acme"));
    await waitFor(() => expect(countCalls(calls).at(-1)?.get("search")).toBe("acme"));
  });

  it("opens the New form modal", async () => {
    mockFetch((call) => (call.url.startsWith("/api/v1/tags") ? [200, []] : [200, { count: 0, next: null, previous: null, results: [] }]));
    renderWithApp(<ListViewPage />, { path: "/o/account", route: "/o/:object" });
    fireEvent.click(await screen.findByRole("button", { name: "New" }));
    expect(screen.getByRole("dialog", { name: "New Account" })).toBeInTheDocument();
  });

  it("shows the not-found page for an unknown object", () => {
    mockFetch((call) => (call.url.startsWith("/api/v1/tags") ? [200, []] : [200, {}]));
    renderWithApp(<ListViewPage />, { path: "/o/spaceship", route: "/o/:object" });
    expect(screen.getByRole("heading", { name: "Page not found" })).toBeInTheDocument();
  });
});
