import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { accountMeta } from "../../testing/fixtures";
import { mockFetch, renderWithApp } from "../../testing/render";
import { CancelOrderAction } from "./cancel-order-action";
import { GenerateOrderAction } from "./generate-order-action";

afterEach(() => vi.unstubAllGlobals());

const noop = () => undefined;

describe("order actions", () => {
  it("cancels an open order with the version read", async () => {
    const calls = mockFetch(() => [200, { id: 5, version: 4, order_number: "ORD-5", status: "Cancelled" }]);
    renderWithApp(
      <ul>
        <CancelOrderAction meta={accountMeta} record={{ id: 5, version: 3, order_number: "ORD-5", status: "Awaiting Payment" }} canWrite refresh={noop} />
      </ul>,
    );
    fireEvent.click(screen.getByRole("button", { name: "Cancel Order" }));
    const dialog = screen.getByRole("dialog", { name: "Cancel Order" });
    fireEvent.click(within(dialog).getAllByRole("button", { name: "Cancel Order" }).at(-1)!);
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toMatchObject({ method: "POST", url: "/api/v1/orders/5/cancel", body: { version: 3 } });
    expect(await screen.findByText(/ORD-5/)).toBeInTheDocument();
  });

  it("offers no Cancel on a fulfilled order", () => {
    mockFetch(() => [200, {}]);
    renderWithApp(
      <ul>
        <CancelOrderAction meta={accountMeta} record={{ id: 5, version: 3, status: "Fulfilled" }} canWrite refresh={noop} />
      </ul>,
    );
    expect(screen.queryByRole("button", { name: "Cancel Order" })).toBeNull();
  });

  it("generates the order of a won opportunity", async () => {
    const calls = mockFetch((call) => {
      if (call.url.startsWith("/api/v1/opportunity-stages"))
        return [200, [{ id: 1, name: "Closed Won", probability: 100, is_closed: true, is_won: true, is_active: true, position: 1 }]];
      return [201, { id: 77, version: 1, order_number: "ORD-77" }];
    });
    renderWithApp(
      <ul>
        <GenerateOrderAction
          meta={accountMeta}
          record={{ id: 9, version: 2, stage: "Closed Won", amount: "100.00", line_items: [{}] }}
          canWrite
          refresh={noop}
        />
      </ul>,
    );
    fireEvent.click(await screen.findByRole("button", { name: "Generate Order" }));
    fireEvent.click(screen.getByRole("button", { name: "Generate" }));
    await waitFor(() => expect(calls.some((call) => call.method === "POST")).toBe(true));
    expect(calls.find((call) => call.method === "POST")).toMatchObject({ url: "/api/v1/opportunities/9/generate-order" });
  });
});
