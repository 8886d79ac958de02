import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch, renderWithApp } from "../../testing/render";
import { LogPaymentModal } from "./log-payment-modal";

afterEach(() => vi.unstubAllGlobals());

describe("LogPaymentModal", () => {
  it("shows the service period only for a retainer payment", async () => {
    const onClose = vi.fn();
    const calls = mockFetch(() => [201, { id: 3, amount: "250.00" }]);
    renderWithApp(<LogPaymentModal parentPath="orders" parentId={4} defaultAmount="250.00" onClose={onClose} />);
    expect(screen.getByLabelText(/Amount/)).toHaveValue(250);
    expect(screen.queryByLabelText(/Service Period Start/)).not.toBeInTheDocument();

    fireEvent.click(screen.getByLabelText("Retainer payment"));
    expect(screen.getByLabelText(/Service Period Start/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findAllByText("Complete this field.")).toHaveLength(2);
    expect(calls).toHaveLength(0);

    fireEvent.click(screen.getByLabelText("Retainer payment"));
    expect(screen.queryByLabelText(/Service Period End/)).not.toBeInTheDocument();
    fireEvent.change(screen.getByLabelText("Payment Method"), { target: { value: "Cash" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(calls[0]).toMatchObject({
      method: "POST",
      url: "/api/v1/orders/4/payments",
      body: { amount: "250.00", payment_method: "Cash", status: "Completed" },
    });
    expect(calls[0].body).not.toHaveProperty("service_period_start");
  });

  it("starts ticked for contracts and sends the period", async () => {
    const calls = mockFetch(() => [201, { id: 3, amount: "100.00" }]);
    renderWithApp(<LogPaymentModal parentPath="contracts" parentId={8} defaultAmount="100.00" retainer onClose={() => undefined} />);
    expect(screen.getByLabelText("Retainer payment")).toBeChecked();
    fireEvent.change(screen.getByLabelText(/Service Period Start/), { target: { value: "2025-03-01" } });
    fireEvent.change(screen.getByLabelText(/Service Period End/), { target: { value: "2025-02-01" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Must be on or after the period start.")).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText(/Service Period End/), { target: { value: "2025-03-31" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toMatchObject({ url: "/api/v1/contracts/8/payments", body: { service_period_start: "2025-03-01", service_period_end: "2025-03-31" } });
  });

  it("shows the server's refusal of an amount above the balance, then sends it as an overpayment when asked", async () => {
    const onClose = vi.fn();
    const calls = mockFetch((call) =>
      (call.body as { is_overpayment?: boolean }).is_overpayment
        ? [201, { id: 5, amount: "3000.00" }]
        : [400, { code: "payment_exceeds_balance", message: "Too much.", errors: { amount: ["At most 2,400.00 is open on order ORD-00001."] } }],
    );
    renderWithApp(<LogPaymentModal parentPath="orders" parentId={4} defaultAmount="3000.00" onClose={onClose} />);
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("At most 2,400.00 is open on order ORD-00001.")).toBeInTheDocument();
    expect(calls[0].body).not.toHaveProperty("is_overpayment");
    expect(onClose).not.toHaveBeenCalled();

    fireEvent.click(screen.getByLabelText(/overpayment/));
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(calls[1]).toMatchObject({ url: "/api/v1/orders/4/payments", body: { amount: "3000.00", is_overpayment: true } });
  });

  it("offers no overpayment for a contract", () => {
    mockFetch(() => [201, {}]);
    renderWithApp(<LogPaymentModal parentPath="contracts" parentId={8} onClose={() => undefined} />);
    expect(screen.queryByLabelText(/overpayment/)).not.toBeInTheDocument();
  });
});
