import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { contactMeta } from "../../testing/fixtures";
import { mockFetch, renderWithApp } from "../../testing/render";
import { TagEditor } from "./tag-editor";

afterEach(() => vi.unstubAllGlobals());

const vip = { id: 1, name: "VIP", colour: "#ff0000" };
const partner = { id: 2, name: "Partner", colour: "#00aa00" };
const allTags = [
  { ...vip, usage_count: 3, created_at: "2026-12-01T10:00:00Z" },
  { ...partner, usage_count: 0, created_at: "2026-12-01T10:00:00Z" },
];

function tagsApi() {
  return mockFetch((call) => {
    if (call.url.startsWith("/api/v1/tags")) return [200, allTags];
    if (call.method === "POST") return [201, [vip, { id: 9, name: String((call.body as { tag: unknown }).tag), colour: "#706e6b" }]];
    if (call.method === "DELETE") return [200, []];
    return [404, null];
  });
}

describe("TagEditor", () => {
  it("shows the record's tags as pills and removes one with its x", async () => {
    const calls = tagsApi();
    renderWithApp(<TagEditor meta={contactMeta} recordId={5} tags={[vip]} canEdit />);
    const pills = screen.getByRole("list", { name: "Tags" });
    expect(within(pills).getByText("VIP")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Remove tag VIP" }));
    await waitFor(() => expect(calls.some((call) => call.method === "DELETE")).toBe(true));
    expect(calls.find((call) => call.method === "DELETE")?.url).toBe("/api/v1/contacts/5/tags/1");
  });

  it("offers existing tags the record does not carry, and creates a new one from what is typed", async () => {
    const calls = tagsApi();
    renderWithApp(<TagEditor meta={contactMeta} recordId={5} tags={[vip]} canEdit />);
    const input = screen.getByRole("combobox", { name: "Add a tag" });
    fireEvent.focus(input);
    expect(await screen.findByRole("option", { name: "Partner" })).toBeInTheDocument();
    expect(screen.queryByRole("option", { name: "VIP" })).toBeNull(); // carried already

    fireEvent.change(input, { target: { value: "  Event   2026 " } });
    const create = await screen.findByRole("option", { name: "Create tag “Event 2026”" });
    fireEvent.mouseDown(create);
    await waitFor(() => expect(calls.some((call) => call.method === "POST")).toBe(true));
    const post = calls.find((call) => call.method === "POST");
    expect(post?.url).toBe("/api/v1/contacts/5/tags");
    expect(post?.body).toEqual({ tag: "Event 2026" });
  });

  it("adds an existing tag by its id with the keyboard, and offers no create for a name that exists", async () => {
    const calls = tagsApi();
    renderWithApp(<TagEditor meta={contactMeta} recordId={5} tags={[]} canEdit />);
    const input = screen.getByRole("combobox", { name: "Add a tag" });
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: "partner" } });
    await screen.findByRole("option", { name: "Partner" });
    expect(screen.queryByRole("option", { name: /Create tag/ })).toBeNull();
    fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => expect(calls.find((call) => call.method === "POST")?.body).toEqual({ tag: 2 }));
  });

  it("is read-only without the right to edit", () => {
    tagsApi();
    renderWithApp(<TagEditor meta={contactMeta} recordId={5} tags={[vip]} canEdit={false} />);
    expect(screen.getByText("VIP")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Remove tag VIP" })).toBeNull();
    expect(screen.queryByRole("combobox")).toBeNull();
  });
});
