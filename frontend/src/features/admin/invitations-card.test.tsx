import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch, renderWithApp } from "../../testing/render";
import { InvitationsCard } from "./invitations-card";

afterEach(() => vi.unstubAllGlobals());

const pending = {
  id: 3,
  email: "ivan@example.com",
  role: "manager",
  status: "pending",
  invited_by: { id: 1, name: "Demo Admin" },
  sent_at: "2030-01-01T10:00:00Z",
  expires_at: "2030-01-08T10:00:00Z",
  created_at: "2030-01-01T10:00:00Z",
};
const expired = { ...pending, id: 4, email: "old@example.com", role: "user", status: "expired" };
const page = (results: unknown[]) => ({ count: results.length, next: null, previous: null, results });

describe("InvitationsCard", () => {
  it("lists pending invitations with who sent them and when they expire", async () => {
    mockFetch(() => [200, page([pending, expired])]);
    renderWithApp(<InvitationsCard />);
    const table = await screen.findByRole("table", { name: "Invitations" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(within(rows[1]).getByRole("rowheader")).toHaveTextContent("ivan@example.com");
    expect(within(rows[1]).getByText("Manager")).toBeInTheDocument();
    expect(within(rows[1]).getByText("Demo Admin")).toBeInTheDocument();
    expect(within(rows[1]).getByText("Pending")).toBeInTheDocument();
    expect(within(rows[2]).getByText("Expired")).toBeInTheDocument();
  });

  it("says so when nothing is pending", async () => {
    mockFetch(() => [200, page([])]);
    renderWithApp(<InvitationsCard />);
    expect(await screen.findByText("No pending invitations.")).toBeInTheDocument();
  });

  it("invites by email and role, and shows the server's field error", async () => {
    let posts = 0;
    const calls = mockFetch((call) => {
      if (call.method !== "POST") return [200, page([])];
      posts += 1;
      return posts === 1
        ? [400, { code: "email_taken", message: "A user with this email already exists.", errors: { email: ["Already in use."] } }]
        : [201, { ...pending, email: "nina@example.com", role: "admin" }];
    });
    renderWithApp(<InvitationsCard />);
    fireEvent.click(await screen.findByRole("button", { name: "Invite User" }));
    const dialog = screen.getByRole("dialog", { name: "Invite User" });
    expect(
      within(dialog)
        .getAllByRole("option")
        .map((option) => option.textContent),
    ).toEqual(["Owner", "Admin", "Manager", "User"]);
    fireEvent.click(within(dialog).getByRole("button", { name: "Send Invitation" }));
    expect(await within(dialog).findByText("Complete this field.")).toBeInTheDocument();
    fireEvent.change(within(dialog).getByLabelText(/Email/), { target: { value: " nina@example.com " } });
    fireEvent.change(within(dialog).getByLabelText("Role"), { target: { value: "admin" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Send Invitation" }));
    expect(await within(dialog).findByText("Already in use.")).toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole("button", { name: "Send Invitation" }));
    expect(await screen.findByText("An invitation was sent to nina@example.com.")).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(calls.filter((call) => call.method === "POST").at(-1)).toMatchObject({
      url: "/api/v1/invitations",
      body: { email: "nina@example.com", role: "admin" },
    });
  });

  it("offers an Admin no Owner role", async () => {
    mockFetch(() => [200, page([])]);
    renderWithApp(<InvitationsCard />, {
      session: {
        id: 2,
        name: "Ada",
        email: "ada@example.com",
        role: "admin",
        is_admin: true,
        language: "en",
        organization: { id: 1, name: "Demo Agency", currency: "EUR" },
      },
    });
    fireEvent.click(await screen.findByRole("button", { name: "Invite User" }));
    expect(
      within(screen.getByRole("dialog"))
        .getAllByRole("option")
        .map((option) => option.textContent),
    ).toEqual(["Admin", "Manager", "User"]);
  });

  it.each([
    ["Resend", "Resend Invitation", "resend", "A new invitation link was sent to ivan@example.com."],
    ["Revoke", "Revoke Invitation", "revoke", "The invitation of ivan@example.com was revoked."],
  ])("%s asks first, then calls the action and confirms with a toast", async (button, title, action, toast) => {
    const calls = mockFetch((call) => (call.method === "POST" ? [200, pending] : [200, page([pending])]));
    renderWithApp(<InvitationsCard />);
    fireEvent.click(await screen.findByRole("button", { name: `${button} ivan@example.com` }));
    const dialog = screen.getByRole("dialog", { name: title });
    expect(calls.some((call) => call.method === "POST")).toBe(false);
    fireEvent.click(within(dialog).getByRole("button", { name: button }));
    expect(await screen.findByText(toast)).toBeInTheDocument();
    expect(calls.find((call) => call.method === "POST")?.url).toBe(`/api/v1/invitations/3/${action}`);
  });

  it("shows why an action was refused", async () => {
    mockFetch((call) =>
      call.method === "POST" ? [400, { code: "invitation_used", message: "This invitation has already been accepted.", errors: {} }] : [200, page([pending])],
    );
    renderWithApp(<InvitationsCard />);
    fireEvent.click(await screen.findByRole("button", { name: "Revoke ivan@example.com" }));
    fireEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Revoke" }));
    expect(await screen.findByText("This invitation has already been accepted.")).toBeInTheDocument();
  });
});
