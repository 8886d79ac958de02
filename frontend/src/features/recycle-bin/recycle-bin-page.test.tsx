import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch, renderWithApp } from "../../testing/render";
import { RecycleBinPage } from "./recycle-bin-page";

afterEach(() => vi.unstubAllGlobals());

describe("RecycleBinPage", () => {
  it("lists an object's deactivated records and restores one with its version", async () => {
    let restored = false;
    const calls = mockFetch((call) => {
      if (call.method === "PATCH") {
        restored = true;
        return [200, { id: 7, version: 3, name: "Old Co", is_active: true }];
      }
      const rows = restored ? [] : [{ id: 7, version: 2, name: "Old Co", is_active: false, owner_name: "Demo Admin", updated_at: "2026-12-01T10:00:00Z" }];
      return [200, { count: rows.length, next: null, previous: null, results: rows }];
    });
    renderWithApp(<RecycleBinPage />);
    expect(await screen.findByRole("link", { name: "Old Co" })).toHaveAttribute("href", "/o/account/7");
    expect(calls[0].url).toBe("/api/v1/accounts?is_active=false&page_size=50");
    fireEvent.click(screen.getByRole("button", { name: "Restore" }));
    await waitFor(() => expect(calls.find((call) => call.method === "PATCH")?.body).toEqual({ is_active: true, version: 2 }));
    expect(calls.find((call) => call.method === "PATCH")?.url).toBe("/api/v1/accounts/7");
    expect(await screen.findByText("Nothing deactivated here.")).toBeInTheDocument();
  });

  it("switches to another object", async () => {
    const calls = mockFetch(() => [200, { count: 0, next: null, previous: null, results: [] }]);
    renderWithApp(<RecycleBinPage />);
    fireEvent.change(await screen.findByLabelText("Object"), { target: { value: "contact" } });
    await waitFor(() => expect(calls.some((call) => call.url.startsWith("/api/v1/contacts?is_active=false"))).toBe(true));
  });
});
