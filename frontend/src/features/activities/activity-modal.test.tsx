import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch, renderWithApp } from "../../testing/render";
import { ActivityModal } from "./activity-modal";

afterEach(() => vi.unstubAllGlobals());

describe("ActivityModal", () => {
  it("searches What across the allowed objects as you type and saves the chosen record", async () => {
    const onClose = vi.fn();
    const calls = mockFetch((call) => {
      if (call.url.startsWith("/api/v1/search")) {
        return [200, { results: [{ object: "opportunity", id: 12, title: "Acme Website", subtitle: "Acme" }] }];
      }
      return [201, { id: 40, version: 1, subject: "Send quote", type: "Task", what_type: "Opportunity", what_id: 12, who_type: "Contact", who_id: 3 }];
    });
    renderWithApp(<ActivityModal kind="task" defaults={{ who: { object: "contact", id: 3, title: "Jane Doe" } }} onClose={onClose} />);
    expect(screen.getByLabelText("Name")).toHaveValue("Jane Doe");
    fireEvent.change(screen.getByLabelText(/Subject/), { target: { value: "Send quote" } });
    fireEvent.change(screen.getByLabelText("Related To"), { target: { value: "acme" } });
    const option = await screen.findByRole("option", { name: /Acme Website/ }, { timeout: 5000 });
    const search = calls.find((call) => call.url.startsWith("/api/v1/search"))!;
    expect(search.url).toContain("q=acme");
    expect(decodeURIComponent(search.url)).toContain("objects=account,opportunity,case,order,contract");
    fireEvent.mouseDown(option);
    expect(screen.getByLabelText("Related To")).toHaveValue("Acme Website");
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    const post = calls.find((call) => call.method === "POST")!;
    expect(post.url).toBe("/api/v1/activities");
    expect(post.body).toMatchObject({
      type: "Task",
      subject: "Send quote",
      status: "Not Started",
      assigned_to_id: 1,
      what_type: "Opportunity",
      what_id: 12,
      who_type: "Contact",
      who_id: 3,
    });
  });

  it("searches Who only among contacts and leads", async () => {
    const calls = mockFetch(() => [200, { results: [{ object: "lead", id: 8, title: "Bob Lead", subtitle: "" }] }]);
    renderWithApp(<ActivityModal kind="event" onClose={() => undefined} />);
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "bob" } });
    expect(await screen.findByRole("option", { name: /Bob Lead/ })).toBeInTheDocument();
    expect(decodeURIComponent(calls[0].url)).toContain("objects=contact,lead");
  });

  it("logs a call as a completed task named Call", async () => {
    const calls = mockFetch(() => [201, { id: 41, version: 1, subject: "Call", type: "Task" }]);
    const onClose = vi.fn();
    renderWithApp(<ActivityModal kind="call" defaults={{ what: { object: "account", id: 5, title: "Acme" } }} onClose={onClose} />);
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(calls[0].body).toMatchObject({ type: "Task", subject: "Call", status: "Completed", what_type: "Account", what_id: 5 });
  });

  it("refuses an event that ends before it starts", async () => {
    const calls = mockFetch(() => [201, {}]);
    renderWithApp(<ActivityModal kind="event" onClose={() => undefined} />);
    fireEvent.change(screen.getByLabelText(/Subject/), { target: { value: "Kickoff" } });
    fireEvent.change(screen.getByLabelText(/Start/), { target: { value: "2025-03-10T10:00" } });
    fireEvent.change(screen.getByLabelText(/End/), { target: { value: "2025-03-10T09:00" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("The end must be after the start.")).toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });
});
