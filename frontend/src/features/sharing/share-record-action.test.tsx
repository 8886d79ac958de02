import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch, renderWithApp } from "../../testing/render";
import { ShareModal } from "./share-record-action";

afterEach(() => vi.unstubAllGlobals());

const users = {
  count: 3,
  next: null,
  previous: null,
  results: [
    { id: 1, name: "Olga Owner", email: "olga@example.com", role: "user", is_active: true },
    { id: 2, name: "Rita Reader", email: "rita@example.com", role: "user", is_active: true },
    { id: 3, name: "Ed Editor", email: "ed@example.com", role: "user", is_active: true },
  ],
};
const rita = { id: 10, user_id: 2, user_name: "Rita Reader", user_email: "rita@example.com", access: "Read", created_at: "2026-01-01T00:00:00Z" };

function modal() {
  return <ShareModal apiPath="opportunities" object="opportunity" id={7} name="Website" ownerId={1} onClose={() => undefined} />;
}

describe("ShareModal", () => {
  it("lists the shares and shares with another user for editing", async () => {
    let shares = [rita];
    const calls = mockFetch((call) => {
      if (call.url.startsWith("/api/v1/users")) return [200, users];
      if (call.method === "POST") {
        const created = { ...rita, id: 11, user_id: 3, user_name: "Ed Editor", user_email: "ed@example.com", access: "Edit" };
        shares = [...shares, created];
        return [201, created];
      }
      return [200, shares];
    });
    renderWithApp(modal());
    expect(await screen.findByText("Rita Reader")).toBeInTheDocument();
    const user = screen.getByLabelText("User");
    // The owner and those already shared with are not offered.
    await waitFor(() =>
      expect(
        within(user)
          .getAllByRole("option")
          .map((option) => option.textContent),
      ).toEqual(["Choose a user", "Ed Editor (ed@example.com)"]),
    );
    fireEvent.change(user, { target: { value: "3" } });
    fireEvent.change(screen.getByLabelText("Access"), { target: { value: "Edit" } });
    fireEvent.click(screen.getByRole("button", { name: "Share" }));
    expect(await screen.findByText("Shared with Ed Editor.")).toBeInTheDocument();
    expect(calls.find((call) => call.method === "POST")).toMatchObject({ url: "/api/v1/opportunities/7/shares", body: { user_id: 3, access: "Edit" } });
    expect(await screen.findByRole("cell", { name: "Read/Write" })).toBeInTheDocument();
  });

  it("removes a share", async () => {
    let shares = [rita];
    const calls = mockFetch((call) => {
      if (call.url.startsWith("/api/v1/users")) return [200, users];
      if (call.method === "DELETE") {
        shares = [];
        return [204, undefined];
      }
      return [200, shares];
    });
    renderWithApp(modal());
    fireEvent.click(await screen.findByRole("button", { name: /Remove the share of Rita Reader/ }));
    expect(await screen.findByText("Not shared with anybody yet.")).toBeInTheDocument();
    expect(calls.find((call) => call.method === "DELETE")?.url).toBe("/api/v1/opportunities/7/shares/10");
  });

  it("says who may share when the user may not", async () => {
    mockFetch((call) =>
      call.url.startsWith("/api/v1/users") ? [200, users] : [403, { code: "forbidden", message: "Only the record's owner...", errors: {} }],
    );
    renderWithApp(modal());
    expect(await screen.findByText("Only the record's owner, the users above them and administrators can share it.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Share" })).not.toBeInTheDocument();
  });
});
