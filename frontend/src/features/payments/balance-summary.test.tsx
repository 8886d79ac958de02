import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderWithApp } from "../../testing/render";
import type { ObjectMeta } from "../../records/metadata/types";
import { BalanceSummary } from "./balance-summary";

const order = { name: "order" } as ObjectMeta;

describe("BalanceSummary", () => {
  it("shows the balance due of an order", () => {
    renderWithApp(<BalanceSummary meta={order} record={{ id: 1, version: 1, total: "2400.00", amount_paid: "400.00", balance_due: "2000.00" }} />);
    expect(screen.getByText("Balance Due")).toBeInTheDocument();
    expect(screen.queryByText("Credit")).not.toBeInTheDocument();
  });

  it("shows an overpaid order's credit instead of a negative balance", () => {
    renderWithApp(<BalanceSummary meta={order} record={{ id: 1, version: 1, total: "2400.00", amount_paid: "3000.00", balance_due: "-600.00" }} />);
    expect(screen.getByText("Credit")).toBeInTheDocument();
    expect(screen.queryByText("Balance Due")).not.toBeInTheDocument();
    const credit = screen.getByText("Credit").nextElementSibling;
    expect(credit?.textContent).toMatch(/600\.00/);
    expect(credit?.textContent).not.toMatch(/-/);
  });
});
