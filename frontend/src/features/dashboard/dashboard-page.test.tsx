import { screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch, renderWithApp } from "../../testing/render";
import { DashboardPage } from "./dashboard-page";

afterEach(() => vi.unstubAllGlobals());

const months = Array.from({ length: 12 }, (_, index) => ({ month: `2026-${String(index + 1).padStart(2, "0")}`, count: 0, amount: "0.00" }));
months[11] = { month: "2026-12", count: 2, amount: "1500.00" };

const summary = {
  today: "2026-12-02",
  pipeline: [
    { name: "Qualifying", count: 2, amount: "300.00", probability: 10, is_closed: false, is_won: false },
    { name: "Closed Won", count: 2, amount: "1500.00", probability: 100, is_closed: true, is_won: true },
  ],
  open: { count: 2, amount: "300.00" },
  won_by_month: months,
  won_quarter: { start: "2026-10-01", count: 2, amount: "1500.00" },
  conversion: { leads: 8, converted: 4, opportunities: 4, won: 2, lead_to_opportunity: 50, opportunity_to_won: 50, lead_to_won: 25 },
  activities_this_week: [{ user_id: 1, user_name: "Sam Seller", tasks: 3, events: 1, total: 4 }],
  top_accounts: [{ account_id: 5, account_name: "Acme Ltd", amount: "1000.00", count: 1 }],
  overdue_tasks: { count: 1, items: [{ id: 9, subject: "Send the proposal", due_date: "2026-11-20", assigned_to_id: 1, assigned_to_name: "Sam Seller" }] },
  open_cases_by_priority: [
    { priority: "High", count: 2 },
    { priority: "Medium", count: 1 },
    { priority: "Low", count: 0 },
  ],
};

describe("DashboardPage", () => {
  it("shows the server's figures from one request and pages through no list", async () => {
    const empty = { count: 0, next: null, previous: null, results: [] };
    const calls = mockFetch((call) => (call.url.startsWith("/api/v1/dashboard") ? [200, summary] : [200, empty]));
    renderWithApp(<DashboardPage />);
    expect(await screen.findByText("Acme Ltd")).toBeInTheDocument();
    expect(screen.getByText("Send the proposal")).toBeInTheDocument();
    expect(screen.getByText("Sam Seller")).toBeInTheDocument();
    expect(screen.getByText("3 tasks · 1 events")).toBeInTheDocument();
    expect(screen.getAllByText("50%")).toHaveLength(2);
    expect(screen.getByText("2 deals closed")).toBeInTheDocument();
    expect(screen.getByRole("img", { name: "High: 2" })).toBeInTheDocument();
    // No opportunity list is read to add up amounts in the browser.
    expect(calls.filter((call) => call.url.startsWith("/api/v1/opportunities"))).toEqual([]);
    expect(calls.filter((call) => call.url.startsWith("/api/v1/dashboard"))).toHaveLength(1);
  });
});
