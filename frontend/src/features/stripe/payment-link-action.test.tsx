import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { accountMeta } from "../../testing/fixtures";
import { mockFetch, renderWithApp } from "../../testing/render";
import { PaymentLinkAction } from "./payment-link-action";

afterEach(() => vi.unstubAllGlobals());

const noop = () => undefined;
const invoice = { id: 12, version: 2, kind: "Invoice", status: "Issued", order_id: 3, balance_due: "1200.00", currency: "EUR", number: "INV-2026-0001" };
const link = {
  id: 4,
  invoice_id: 12,
  url: "https://checkout.stripe.test/c/pay/cs_test_1",
  amount: "1200.00",
  amount_minor: 120000,
  currency: "eur",
  status: "open",
  created_at: "2026-12-03T10:00:00Z",
};

describe("Pay Online", () => {
  it("creates the invoice's payment link, shows it and copies it", async () => {
    const writeText = vi.fn(async () => undefined);
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    const calls = mockFetch((call) => (call.method === "POST" ? [201, link] : [200, { configured: true, link: null }]));
    renderWithApp(
      <ul>
        <PaymentLinkAction meta={accountMeta} record={invoice} canWrite refresh={noop} />
      </ul>,
    );
    fireEvent.click(screen.getByRole("button", { name: "Pay Online" }));
    const dialog = await screen.findByRole("dialog", { name: "Pay online" });
    expect(await within(dialog).findByText("There is no payment link for the open balance yet.")).toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole("button", { name: "Create Payment Link" }));
    expect(await within(dialog).findByDisplayValue(link.url)).toBeInTheDocument();
    expect(calls.find((call) => call.method === "POST")).toMatchObject({ url: "/api/v1/invoices/12/payment-link" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Copy Link" }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(link.url));
    expect(within(dialog).getByRole("button", { name: "Link copied" })).toBeInTheDocument();
  });

  it("shows the open link without creating another", async () => {
    const calls = mockFetch(() => [200, { configured: true, link }]);
    renderWithApp(
      <ul>
        <PaymentLinkAction meta={accountMeta} record={invoice} canWrite refresh={noop} />
      </ul>,
    );
    fireEvent.click(screen.getByRole("button", { name: "Pay Online" }));
    expect(await screen.findByDisplayValue(link.url)).toBeInTheDocument();
    expect(calls.every((call) => call.method === "GET")).toBe(true);
  });

  it("says clearly when Stripe is not set up", async () => {
    mockFetch(() => [200, { configured: false, link: null }]);
    renderWithApp(
      <ul>
        <PaymentLinkAction meta={accountMeta} record={invoice} canWrite refresh={noop} />
      </ul>,
    );
    fireEvent.click(screen.getByRole("button", { name: "Pay Online" }));
    expect(await screen.findByText(/Online payments are not set up/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Create Payment Link" })).toBeDisabled();
  });

  it("shows the server's message when Stripe refuses", async () => {
    mockFetch((call) =>
      call.method === "POST"
        ? [502, { code: "stripe_error", message: "Stripe answered with an error: Currency not supported.", errors: {} }]
        : [200, { configured: true, link: null }],
    );
    renderWithApp(
      <ul>
        <PaymentLinkAction meta={accountMeta} record={invoice} canWrite refresh={noop} />
      </ul>,
    );
    fireEvent.click(screen.getByRole("button", { name: "Pay Online" }));
    await screen.findByText("There is no payment link for the open balance yet.");
    fireEvent.click(screen.getByRole("button", { name: "Create Payment Link" }));
    expect(await screen.findByText("Stripe answered with an error: Currency not supported.")).toBeInTheDocument();
  });

  it("is offered only on open invoices of an order or contract, to those who may edit", () => {
    mockFetch(() => [200, {}]);
    renderWithApp(
      <ul>
        <PaymentLinkAction meta={accountMeta} record={{ ...invoice, status: "Draft" }} canWrite refresh={noop} />
        <PaymentLinkAction meta={accountMeta} record={{ ...invoice, status: "Paid", balance_due: "0.00" }} canWrite refresh={noop} />
        <PaymentLinkAction meta={accountMeta} record={{ ...invoice, order_id: null }} canWrite refresh={noop} />
        <PaymentLinkAction meta={accountMeta} record={invoice} canWrite={false} refresh={noop} />
      </ul>,
    );
    expect(screen.queryByRole("button", { name: "Pay Online" })).toBeNull();
  });
});
