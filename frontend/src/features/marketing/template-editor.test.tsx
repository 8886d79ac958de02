import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { accountMeta } from "../../testing/fixtures";
import { mockFetch, renderWithApp } from "../../testing/render";
import type { ObjectMeta } from "../../records/metadata/types";
import { TemplateEditorPage } from "./template-editor-page";

afterEach(() => vi.unstubAllGlobals());

const meta: ObjectMeta = {
  ...accountMeta,
  name: "email_template",
  label: "Email Template",
  label_plural: "Email Templates",
  api_path: "email-templates",
  icon: "email",
  fields: [{ ...accountMeta.fields[0], label: "Template Name" }],
  related: [],
};

const template = {
  id: 5,
  version: 3,
  name: "Spring offer",
  subject: "Hello {{ contact.first_name }}",
  body_format: "html",
  body: "<p>Hi</p>",
  text_body: "",
  owner_id: 1,
  owner_name: "Demo Admin",
  created_at: "2026-03-01T09:00:00Z",
  updated_at: "2026-03-02T09:00:00Z",
};

describe("TemplateEditorPage", () => {
  it("saves with the version read, shows the server's errors at their fields, and says when someone else saved first", async () => {
    const patches: unknown[] = [];
    const answers: [number, unknown][] = [
      [400, { code: "template_error", message: "The template cannot be rendered.", errors: { subject: ["Unexpected end of template (line 1)."] } }],
      [409, { code: "version_conflict", message: "Changed by someone else.", current_version: 4 }],
    ];
    mockFetch((call) => {
      if (call.method === "GET" && call.url.endsWith("/email-templates/5")) return [200, template];
      if (call.url.endsWith("/email-templates/5/versions"))
        return [
          200,
          [{ id: 9, version: 2, subject: "Hi", body: "", body_format: "html", text_body: "", created_at: "2026-03-01T10:00:00Z", created_by_id: 1 }],
        ];
      if (call.url.endsWith("/email-templates/5/preview")) return [200, { subject: "Hello there", html: "<p>Hi</p>", text: "Hi" }];
      if (call.method === "PATCH") {
        patches.push(call.body);
        return answers.shift()!;
      }
      return [404, { code: "not_found", message: "Not found." }];
    });
    renderWithApp(<TemplateEditorPage meta={meta} id={5} />);

    const subject = await screen.findByLabelText(/Subject/, { selector: "input" });
    expect(await screen.findByRole("button", { name: /Restore/ })).toBeInTheDocument();
    fireEvent.change(subject, { target: { value: "Hello {{ contact.first_name " } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));

    await waitFor(() => expect(subject).toHaveAttribute("aria-invalid", "true"));
    expect(screen.getByText("Unexpected end of template (line 1).")).toBeInTheDocument();
    expect(patches[0]).toMatchObject({ subject: "Hello {{ contact.first_name ", version: 3, body_format: "html" });

    // Typing clears the field's error; the next save meets a newer version.
    fireEvent.change(subject, { target: { value: "Hello {{ contact.first_name }}!" } });
    expect(subject).not.toHaveAttribute("aria-invalid");
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("This record has been modified by another user since you opened it.")).toBeInTheDocument();
  }, 20_000);
});
