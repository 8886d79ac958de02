import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderWithApp } from "../../testing/render";
import { RetainerGrid, type RetainerReport } from "./retainer-grid";

const zeros = (n: number) => Array.from({ length: n }, () => "0.00");
const months = (values: Record<number, string>) => zeros(12).map((value, index) => values[index] ?? value);

// One page of two accounts out of 120: the totals cover every account, not only these rows.
const report: RetainerReport = {
  year: 2025,
  months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  rows: [
    { account_id: 1, account_name: "Acme", months: months({ 0: "1000.00", 1: "1000.00" }), total: "2000.00" },
    { account_id: 2, account_name: "Globex", months: months({ 1: "500.50" }), total: "500.50" },
  ],
  totals: { months: months({ 0: "41000.00", 1: "37500.50" }), total: "78500.50" },
  count: 120,
  page: 1,
  page_size: 2,
};

describe("RetainerGrid", () => {
  it("shows accounts by month with row totals", () => {
    renderWithApp(<RetainerGrid report={report} currency="EUR" />);
    const table = screen.getByRole("table");
    const headers = within(table)
      .getAllByRole("columnheader")
      .map((cell) => cell.textContent);
    expect(headers).toEqual(["Account", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Total"]);
    const acme = screen.getByRole("row", { name: /Acme/ });
    expect(within(acme).getAllByRole("cell").at(-1)).toHaveTextContent("€2,000.00");
    expect(within(acme).getAllByRole("cell")[2]).toHaveTextContent("—");
    expect(screen.getByRole("link", { name: "Globex" })).toHaveAttribute("href", "/o/account/2");
  });

  it("shows the year's totals from the report in the footer, not the sum of the page", () => {
    renderWithApp(<RetainerGrid report={report} currency="EUR" />);
    const footer = screen.getByRole("row", { name: /Grand Total/ });
    expect(within(footer).getAllByRole("cell")[0]).toHaveTextContent("€41,000.00");
    expect(within(footer).getAllByRole("cell")[1]).toHaveTextContent("€37,500.50");
    expect(screen.getByTestId("grand-total")).toHaveTextContent("€78,500.50");
  });
});
