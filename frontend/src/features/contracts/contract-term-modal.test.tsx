import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch, renderWithApp } from "../../testing/render";
import { contractTermPaths } from "./api/contract-actions";
import { ContractTermModal } from "./contract-term-modal";

afterEach(() => vi.unstubAllGlobals());

describe("ContractTermModal", () => {
  it("offers the billing cycles from the metadata and posts the term", async () => {
    const calls = mockFetch(() => [201, { id: 31, version: 1, contract_number: "CON-31" }]);
    const onClose = vi.fn();
    renderWithApp(<ContractTermModal title="Renew Contract" body="Next term" path={contractTermPaths.renew(4)} initialStart="2026-01-01" onClose={onClose} />);
    const cycle = screen.getByLabelText("Billing Cycle");
    expect(Array.from((cycle as HTMLSelectElement).options).map((option) => option.value)).toEqual(["Monthly", "Annually"]);
    fireEvent.change(cycle, { target: { value: "Annually" } });
    fireEvent.click(screen.getByRole("button", { name: "Generate" }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(calls[0]).toMatchObject({
      method: "POST",
      url: "/api/v1/contracts/4/renew",
      body: { start_date: "2026-01-01", end_date: "2026-12-31", billing_cycle: "Annually" },
    });
  });

  it("refuses an end before the start", async () => {
    const calls = mockFetch(() => [201, {}]);
    renderWithApp(<ContractTermModal title="Generate Contract" body="Term" path={contractTermPaths.generate(9)} onClose={() => undefined} />);
    fireEvent.change(screen.getByLabelText(/Start Date/), { target: { value: "2026-05-01" } });
    fireEvent.change(screen.getByLabelText(/End Date/), { target: { value: "2026-04-01" } });
    fireEvent.click(screen.getByRole("button", { name: "Generate" }));
    expect(await screen.findByText("Must be on or after the period start.")).toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });
});
