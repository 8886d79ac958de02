import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sessionUser } from "../../testing/fixtures";
import { mockFetch, renderWithApp } from "../../testing/render";
import { BillingPage } from "./billing-page";
import { SignupPage, VerifySignupPage } from "./signup-pages";

afterEach(() => vi.unstubAllGlobals());

const plans = [
  { code: "free", name: "Free", seats: 3, record_limit: 2, features: [], monthly_price: "0", purchasable: false },
  { code: "team", name: "Team", seats: 10, record_limit: 50000, features: ["ai"], monthly_price: "29 EUR", purchasable: true },
  { code: "business", name: "Business", seats: null, record_limit: null, features: ["ai", "marketing"], monthly_price: "59 EUR", purchasable: true },
];
const state = {
  plan: plans[0],
  status: "active",
  current_period_end: null,
  has_billing_account: false,
  seats: { used: 3, limit: 3 },
  records: [
    { object: "account", label: "Accounts", count: 2, limit: 2 },
    { object: "contact", label: "Contacts", count: 1, limit: 2 },
  ],
  plans,
};

describe("sign-up", () => {
  it("sends the sign-up and says to check the inbox", async () => {
    const calls = mockFetch(() => [202, { detail: "ok" }]);
    renderWithApp(<SignupPage />, { session: null });
    fireEvent.change(screen.getByLabelText(/Organization name/), { target: { value: "Nova" } });
    fireEvent.change(screen.getByLabelText(/Your name/), { target: { value: "Nina" } });
    fireEvent.change(screen.getByLabelText(/Email/), { target: { value: "nina@nova.example" } });
    fireEvent.change(screen.getByLabelText(/Password/), { target: { value: "Correct-Horse-Battery-9" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign Up" }));
    expect(await screen.findByText(/Check your inbox/)).toBeInTheDocument();
    expect(calls[0]).toMatchObject({ method: "POST", url: "/api/v1/saas/signup", body: { organization_name: "Nova", email: "nina@nova.example" } });
  });

  it("shows the server's field messages", async () => {
    mockFetch(() => [400, { code: "validation_error", message: "Please correct the errors below.", errors: { password: ["This password is too common."] } }]);
    renderWithApp(<SignupPage />, { session: null });
    for (const label of [/Organization name/, /Your name/, /Email/, /Password/])
      fireEvent.change(screen.getByLabelText(label), { target: { value: "x@y.example" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign Up" }));
    expect(await screen.findByText("This password is too common.")).toBeInTheDocument();
  });

  it("verifies the token once and offers to sign in", async () => {
    const calls = mockFetch(() => [201, { organization: "Nova", email: "nina@nova.example" }]);
    renderWithApp(<VerifySignupPage />, { session: null, path: "/signup/verify?token=abc" });
    expect(await screen.findByText("Nova is ready. Sign in with nina@nova.example.")).toBeInTheDocument();
    expect(calls.filter((call) => call.url === "/api/v1/saas/verify")).toHaveLength(1);
    expect(calls[0].body).toEqual({ token: "abc" });
  });

  it("says when the link is no good", async () => {
    mockFetch(() => [400, { code: "invalid_token", message: "This verification link is invalid, has expired or has already been used.", errors: {} }]);
    renderWithApp(<VerifySignupPage />, { session: null, path: "/signup/verify?token=old" });
    expect(await screen.findByRole("alert")).toHaveTextContent("has already been used");
  });
});

describe("Billing & Plan", () => {
  it("shows the plan, usage against the limits and upgrades through Checkout", async () => {
    const assign = vi.fn();
    vi.stubGlobal("location", { ...window.location, assign });
    const calls = mockFetch((call) => {
      if (call.url.endsWith("/saas/checkout")) return [200, { url: "https://checkout.stripe.test/c/pay/cs_1" }];
      if (call.url.endsWith("/saas/plans")) return [200, plans];
      return [200, state];
    });
    renderWithApp(<BillingPage />, { session: { ...sessionUser, is_admin: true } });
    expect(await screen.findByText("Current plan")).toBeInTheDocument();
    expect(screen.getByText("3 of 3")).toBeInTheDocument();
    expect(screen.getByText(/Limit reached: new records of this kind are refused/)).toBeInTheDocument();
    const team = screen.getByRole("button", { name: "Choose Team" });
    fireEvent.click(team);
    await waitFor(() => expect(assign).toHaveBeenCalledWith("https://checkout.stripe.test/c/pay/cs_1"));
    expect(calls.find((call) => call.method === "POST")).toMatchObject({ url: "/api/v1/saas/checkout", body: { plan: "team" } });
    expect(screen.queryByRole("button", { name: "Manage Billing" })).toBeNull();
  });

  it("opens the customer portal once there is a billing account", async () => {
    const assign = vi.fn();
    vi.stubGlobal("location", { ...window.location, assign });
    mockFetch((call) => {
      if (call.url.endsWith("/saas/portal")) return [200, { url: "https://billing.stripe.test/p/session/1" }];
      if (call.url.endsWith("/saas/plans")) return [200, plans];
      return [200, { ...state, plan: plans[1], status: "past_due", has_billing_account: true }];
    });
    renderWithApp(<BillingPage />, { session: { ...sessionUser, is_admin: true } });
    expect(await screen.findByText(/The last payment failed/)).toBeInTheDocument();
    const header = screen.getByRole("group");
    fireEvent.click(within(header).getByRole("button", { name: "Manage Billing" }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith("https://billing.stripe.test/p/session/1"));
  });
});
