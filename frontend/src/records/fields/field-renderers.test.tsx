import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { field } from "../../testing/fixtures";
import { renderWithApp } from "../../testing/render";
import type { RecordData } from "../metadata/types";
import { FieldInput, FieldValue } from "./field-renderers";
import { toApiValue } from "./format";

const record = (values: Record<string, unknown>): RecordData => ({ id: 1, version: 1, ...values });

describe("field renderers", () => {
  it("renders links for url, email and phone", () => {
    renderWithApp(
      <div>
        <FieldValue field={field({ name: "website", type: "url" })} record={record({ website: "https://acme.example" })} />
        <FieldValue field={field({ name: "email", type: "email" })} record={record({ email: "ada@acme.example" })} />
        <FieldValue field={field({ name: "phone", type: "phone" })} record={record({ phone: "+359 2 123" })} />
      </div>,
    );
    expect(screen.getByRole("link", { name: "acme.example" })).toHaveAttribute("href", "https://acme.example");
    expect(screen.getByRole("link", { name: "ada@acme.example" })).toHaveAttribute("href", "mailto:ada@acme.example");
    expect(screen.getByRole("link", { name: "+359 2 123" })).toHaveAttribute("href", "tel:+3592123");
  });

  it("shows a url with another scheme than http(s) as text, never as a link", () => {
    renderWithApp(
      <div>
        <FieldValue field={field({ name: "website", type: "url" })} record={record({ website: "javascript:alert(1)" })} />
        <FieldValue field={field({ name: "other", type: "url" })} record={record({ other: " data:text/html,x" })} />
      </div>,
    );
    expect(screen.queryByRole("link")).toBeNull();
    expect(screen.getByText("javascript:alert(1)")).toBeInTheDocument();
  });

  it("links a lookup to its record and shows the display name", () => {
    renderWithApp(
      <FieldValue
        field={field({ name: "account_id", type: "lookup", lookup: "account", display: "account_name" })}
        record={record({ account_id: 7, account_name: "Acme" })}
      />,
    );
    expect(screen.getByRole("link", { name: "Acme" })).toHaveAttribute("href", "/o/account/7");
  });

  it("shows user lookups as plain text", () => {
    renderWithApp(
      <FieldValue
        field={field({ name: "owner_id", type: "lookup", lookup: "user", display: "owner_name" })}
        record={record({ owner_id: 1, owner_name: "Demo Admin" })}
      />,
    );
    expect(screen.getByText("Demo Admin")).toBeInTheDocument();
    expect(screen.queryByRole("link")).toBeNull();
  });

  it("formats currency in the organization currency, and dates", () => {
    renderWithApp(
      <div>
        <span>
          <FieldValue field={field({ name: "total", type: "currency" })} record={record({ total: "1234.50" })} />
        </span>
        <span>
          <FieldValue field={field({ name: "due", type: "date" })} record={record({ due: "2026-03-05" })} />
        </span>
        <FieldValue field={field({ name: "done", type: "boolean" })} record={record({ done: true })} />
      </div>,
    );
    expect(screen.getByText("€1,234.50")).toBeInTheDocument();
    expect(screen.getByText("Mar 5, 2026")).toBeInTheDocument();
    expect(screen.getByRole("checkbox")).toBeChecked();
  });

  it("renders nothing for empty values", () => {
    const { container } = renderWithApp(<FieldValue field={field({ name: "phone", type: "phone" })} record={record({ phone: "" })} />);
    expect(container.textContent).toBe("");
  });

  it("offers picklist options with --None-- and reports null for it", () => {
    const onChange = vi.fn();
    renderWithApp(
      <FieldInput
        field={field({ name: "type", type: "picklist", options: ["Prospect", "Customer"] })}
        id="type"
        label="Type"
        value="Customer"
        displayName={null}
        onChange={onChange}
      />,
    );
    const select = screen.getByRole("combobox");
    expect(select).toHaveValue("Customer");
    expect(screen.getAllByRole("option").map((option) => option.textContent)).toEqual(["--None--", "Prospect", "Customer"]);
    fireEvent.change(select, { target: { value: "" } });
    expect(onChange).toHaveBeenCalledWith(null);
  });

  it("sends empty strings for text-like fields and null for the rest", () => {
    expect(toApiValue("text", null)).toBe("");
    expect(toApiValue("picklist", undefined)).toBe("");
    expect(toApiValue("lookup", "")).toBeNull();
    expect(toApiValue("date", "")).toBeNull();
    expect(toApiValue("integer", 3)).toBe(3);
  });
});
