import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch, renderWithApp } from "../../testing/render";
import { ConvertLeadModal } from "./convert-lead-modal";

afterEach(() => vi.unstubAllGlobals());

const lead = { id: 5, version: 2, name: "Ada Lovelace", first_name: "Ada", last_name: "Lovelace", company: "Analytical Engines", status: "Qualified" };

describe("ConvertLeadModal", () => {
  it("shows what will be created and requires the opportunity name", async () => {
    const calls = mockFetch(() => [200, {}]);
    renderWithApp(<ConvertLeadModal lead={lead} onClose={() => undefined} />);
    expect(screen.getByRole("dialog", { name: "Convert Lead" })).toBeInTheDocument();
    expect(screen.getByText("Analytical Engines")).toBeInTheDocument();
    expect(screen.getByText("Ada Lovelace")).toBeInTheDocument();
    const name = screen.getByLabelText(/Opportunity Name/);
    expect(name).toHaveValue("Analytical Engines -");
    fireEvent.change(name, { target: { value: "  " } });
    fireEvent.click(screen.getByRole("button", { name: "Convert" }));
    expect(await screen.findByText("Enter an opportunity name.")).toBeInTheDocument();
    expect(name).toHaveAttribute("aria-invalid", "true");
    expect(calls.filter((call) => call.method === "POST")).toHaveLength(0);
  });

  it("requires an account when attaching to an existing one", async () => {
    const calls = mockFetch(() => [200, { count: 0, next: null, previous: null, results: [] }]);
    renderWithApp(<ConvertLeadModal lead={lead} onClose={() => undefined} />);
    fireEvent.click(screen.getByLabelText("Choose Existing"));
    fireEvent.click(screen.getByRole("button", { name: "Convert" }));
    expect(await screen.findByText("Select an account.")).toBeInTheDocument();
    expect(calls.filter((call) => call.method === "POST")).toHaveLength(0);
  });

  it("converts and links the new account, contact and opportunity", async () => {
    const calls = mockFetch(() => [
      200,
      {
        message: "Lead converted successfully.",
        lead_id: 5,
        created_records: {
          account: { id: 11, version: 1, name: "Analytical Engines" },
          contact: { id: 12, version: 1, name: "Ada Lovelace" },
          opportunity: { id: 13, version: 1, name: "Engines - Website" },
        },
      },
    ]);
    renderWithApp(<ConvertLeadModal lead={lead} onClose={() => undefined} />);
    fireEvent.change(screen.getByLabelText(/Opportunity Name/), { target: { value: "Engines - Website" } });
    fireEvent.click(screen.getByRole("button", { name: "Convert" }));
    expect(await screen.findByRole("dialog", { name: "Your lead has been converted" })).toBeInTheDocument();
    await waitFor(() => expect(calls[0]).toMatchObject({ method: "POST", url: "/api/v1/leads/5/convert", body: { opportunity_name: "Engines - Website" } }));
    expect(screen.getByRole("link", { name: "Analytical Engines" })).toHaveAttribute("href", "/o/account/11");
    expect(screen.getByRole("link", { name: "Ada Lovelace" })).toHaveAttribute("href", "/o/contact/12");
    expect(screen.getByRole("link", { name: "Engines - Website" })).toHaveAttribute("href", "/o/opportunity/13");
  });
});
