import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type FetchCall, mockFetch, renderWithApp } from "../../testing/render";
import { REPORT_PAGE_SIZE } from "./api/report-queries";
import { ReportsPage } from "./reports-page";
import type { RetainerReport, RetainerRow } from "./retainer-grid";

afterEach(() => vi.unstubAllGlobals());

const COUNT = 9812;
const months = (first: string) => Array.from({ length: 12 }, (_, index) => (index === 0 ? first : "0.00"));

function row(index: number): RetainerRow {
  return { account_id: index, account_name: `Account ${String(index).padStart(5, "0")}`, months: months("100.00"), total: "100.00" };
}

/** The server's answer for one page: `rows` of that page, totals and count of the whole year. */
function reportPage(year: number, page: number): RetainerReport {
  const first = (page - 1) * REPORT_PAGE_SIZE + 1;
  const last = Math.min(COUNT, page * REPORT_PAGE_SIZE);
  return {
    year,
    months: Array.from({ length: 12 }, (_, index) => index + 1),
    rows: Array.from({ length: last - first + 1 }, (_, index) => row(first + index)),
    totals: { months: months("981200.00"), total: "981200.00" },
    count: COUNT,
    page,
    page_size: REPORT_PAGE_SIZE,
  };
}

const reportCalls = (calls: FetchCall[]) =>
  calls.filter((call) => call.url.includes("/reports/retainer-payments")).map((call) => new URL(call.url, "http://localhost").searchParams);

function serveReport() {
  return mockFetch((call) => {
    const params = new URL(call.url, "http://localhost").searchParams;
    return [200, reportPage(Number(params.get("year")), Number(params.get("page")))];
  });
}

describe("ReportsPage", () => {
  it("shows one page of accounts with the year's totals and pages through them", async () => {
    const calls = serveReport();
    renderWithApp(<ReportsPage />, { path: "/reports?year=2025" });

    expect(await screen.findByRole("link", { name: "Account 00001" })).toBeInTheDocument();
    expect(screen.getAllByRole("link")).toHaveLength(REPORT_PAGE_SIZE);
    expect(screen.getByText("Showing 1–50 of 9,812 accounts")).toBeInTheDocument();
    expect(screen.getByText("Completed payments per account, by service period start • 9,812 accounts")).toBeInTheDocument();
    expect(screen.getByTestId("grand-total")).toHaveTextContent("€981,200.00");
    expect(reportCalls(calls)[0].get("page")).toBe("1");
    expect(reportCalls(calls)[0].get("page_size")).toBe(String(REPORT_PAGE_SIZE));
    const pager = screen.getByRole("navigation", { name: "Pagination" });
    expect(within(pager).getByRole("button", { name: "Previous" })).toBeDisabled();

    fireEvent.click(within(pager).getByRole("button", { name: "Next" }));

    expect(await screen.findByRole("link", { name: "Account 00051" })).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Account 00001" })).not.toBeInTheDocument();
    const second = reportCalls(calls).at(-1)!;
    expect([second.get("year"), second.get("page")]).toEqual(["2025", "2"]);
    expect(screen.getByText("Showing 51–100 of 9,812 accounts")).toBeInTheDocument();
    expect(screen.getByTestId("grand-total")).toHaveTextContent("€981,200.00");
    await waitFor(() => expect(within(pager).getByRole("button", { name: "Previous" })).toBeEnabled());
  });

  it("disables Next on the last page", async () => {
    serveReport();
    renderWithApp(<ReportsPage />, { path: "/reports?year=2025&page=197" });
    expect(await screen.findByText("Showing 9,801–9,812 of 9,812 accounts")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Next" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Previous" })).toBeEnabled();
  });

  it("goes back to the first page when the year changes", async () => {
    const calls = serveReport();
    renderWithApp(<ReportsPage />, { path: "/reports?year=2025&page=3" });
    expect(await screen.findByText("Showing 101–150 of 9,812 accounts")).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText("Year"), { target: { value: "2024" } });

    await waitFor(() => expect(reportCalls(calls).at(-1)?.get("year")).toBe("2024"));
    expect(reportCalls(calls).at(-1)?.get("page")).toBe("1");
    expect(await screen.findByText("Showing 1–50 of 9,812 accounts")).toBeInTheDocument();
  });

  it("falls back to the first page when the page no longer exists", async () => {
    const calls = mockFetch((call) => {
      const params = new URL(call.url, "http://localhost").searchParams;
      if (params.get("page") !== "1") return [404, { code: "not_found", message: "Invalid page.", errors: {} }];
      return [200, reportPage(2025, 1)];
    });
    renderWithApp(<ReportsPage />, { path: "/reports?year=2025&page=400" });
    expect(await screen.findByText("Showing 1–50 of 9,812 accounts")).toBeInTheDocument();
    expect(reportCalls(calls).map((params) => params.get("page"))).toEqual(["400", "1"]);
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });
});
