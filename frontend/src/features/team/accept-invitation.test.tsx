import { fireEvent, screen, waitFor } from "@testing-library/react";
import { Route, Routes } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sessionQuery } from "../../lib/session";
import { mockFetch, renderWithApp } from "../../testing/render";
import { AcceptInvitationPage } from "./accept-invitation-page";

afterEach(() => vi.unstubAllGlobals());

const check = {
  email: "ivan@example.com",
  organization: "Demo Agency",
  role: "user",
  expires_at: "2030-01-08T10:00:00Z",
  valid: true,
  code: null,
  message: "",
};
const newUser = {
  id: 7,
  name: "Ivan Invited",
  email: "ivan@example.com",
  role: "user",
  is_admin: false,
  language: "en",
  organization: { id: 1, name: "Demo Agency", currency: "EUR" },
};

function renderPage(token = "tok-1") {
  return renderWithApp(
    <Routes>
      <Route path="/accept-invitation" element={<AcceptInvitationPage />} />
      <Route path="/" element={<p>Home page</p>} />
    </Routes>,
    { path: `/accept-invitation?token=${token}`, session: null },
  );
}

describe("AcceptInvitationPage", () => {
  it("shows the organization and email, then accepts with name and password and lands signed in", async () => {
    const calls = mockFetch((call) => (call.method === "POST" ? [200, { user: newUser }] : [200, check]));
    const { queryClient } = renderPage();
    expect(await screen.findByRole("heading", { level: 1, name: "Join Demo Agency" })).toBeInTheDocument();
    expect(screen.getByText("You were invited to Demo Agency as User. Choose your name and a password to start.")).toBeInTheDocument();
    expect(screen.getByLabelText("Email")).toHaveValue("ivan@example.com");
    expect(calls[0].url).toBe("/api/v1/invitations/check?token=tok-1");

    fireEvent.click(screen.getByRole("button", { name: "Accept Invitation" }));
    expect(await screen.findAllByText("Complete this field.")).toHaveLength(2);
    fireEvent.change(screen.getByLabelText(/Full Name/), { target: { value: "  Ivan Invited " } });
    fireEvent.change(screen.getByLabelText(/New password/), { target: { value: "Invited-Passphrase-2026" } });
    fireEvent.change(screen.getByLabelText(/Confirm password/), { target: { value: "Other-Passphrase-2026" } });
    fireEvent.click(screen.getByRole("button", { name: "Accept Invitation" }));
    expect(await screen.findByText("The two passwords differ.")).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText(/Confirm password/), { target: { value: "Invited-Passphrase-2026" } });
    fireEvent.click(screen.getByRole("button", { name: "Accept Invitation" }));

    expect(await screen.findByText("Home page")).toBeInTheDocument();
    expect(calls.find((call) => call.method === "POST")).toMatchObject({
      url: "/api/v1/invitations/accept",
      body: { token: "tok-1", name: "Ivan Invited", password: "Invited-Passphrase-2026" },
    });
    expect(queryClient.getQueryData(sessionQuery.queryKey)).toMatchObject({ id: 7, email: "ivan@example.com" });
  });

  it.each([
    ["invitation_used", "This invitation has already been accepted. Sign in instead."],
    ["invitation_expired", "This invitation has expired. Ask your administrator to send it again."],
    ["invitation_revoked", "This invitation has been revoked. Ask your administrator for a new one."],
  ])("says clearly why a %s link no longer works", async (code, message) => {
    mockFetch(() => [200, { ...check, valid: false, code, message }]);
    renderPage();
    expect(await screen.findByText(message)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Accept Invitation" })).not.toBeInTheDocument();
    expect(screen.getByText("ivan@example.com")).toBeInTheDocument();
  });

  it("calls an unknown link invalid", async () => {
    mockFetch(() => [400, { code: "invitation_invalid", message: "This invitation link is not valid.", errors: { token: ["x"] } }]);
    renderPage("nope");
    expect(await screen.findByText("This invitation link is not valid. Check that you copied all of it.")).toBeInTheDocument();
  });

  it("shows a weak password under the field, and a link used meanwhile as refused", async () => {
    let accepts = 0;
    mockFetch((call) => {
      if (call.method !== "POST") return [200, check];
      accepts += 1;
      return accepts === 1
        ? [400, { code: "weak_password", message: "Choose a stronger password.", errors: { password: ["This password is too common."] } }]
        : [400, { code: "invitation_used", message: "Used.", errors: { token: ["Used."] } }];
    });
    renderPage();
    fireEvent.change(await screen.findByLabelText(/Full Name/), { target: { value: "Ivan" } });
    fireEvent.change(screen.getByLabelText(/New password/), { target: { value: "password123" } });
    fireEvent.change(screen.getByLabelText(/Confirm password/), { target: { value: "password123" } });
    fireEvent.click(screen.getByRole("button", { name: "Accept Invitation" }));
    expect(await screen.findByText("This password is too common.")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Accept Invitation" }));
    await waitFor(() => expect(screen.getByText("This invitation has already been accepted. Sign in instead.")).toBeInTheDocument());
  });
});
