import { act, renderHook } from "@testing-library/react";
import type { ReactNode } from "react";
import { I18nextProvider } from "react-i18next";
import { describe, expect, it } from "vitest";
import { ApiError } from "./api-client";
import { i18next } from "./i18n";
import { useFieldErrors } from "./use-field-errors";

const wrapper = ({ children }: { children: ReactNode }) => <I18nextProvider i18n={i18next}>{children}</I18nextProvider>;

describe("useFieldErrors", () => {
  it("shows the server's field errors inline and the others as the form message", () => {
    const { result } = renderHook(() => useFieldErrors({ fields: ["name", "account_id"], summary: true }), { wrapper });
    const error = new ApiError(400, {
      code: "validation_error",
      message: "Invalid input.",
      errors: { name: ["Required."], account: "Not yours.", non_field_errors: ["Duplicate."] },
    });
    let inline = false;
    act(() => {
      inline = result.current.showError(error);
    });
    expect(inline).toBe(true);
    expect(result.current.errors).toEqual({ name: ["Required."], account_id: ["Not yours."] });
    expect(result.current.formError).toBe("Duplicate.");
  });

  it("says to review the fields when every error shows inline, and the message when none does", () => {
    const { result } = renderHook(() => useFieldErrors({ summary: true }), { wrapper });
    act(() => {
      result.current.showError(new ApiError(400, { code: "validation_error", message: "Invalid input.", errors: { amount: ["Too small."] } }));
    });
    expect(result.current.formError).toBe("Review the errors on this page.");
    act(() => {
      result.current.showError(new ApiError(400, { code: "closed", message: "The order is closed." }));
    });
    expect(result.current.errors).toEqual({});
    expect(result.current.formError).toBe("The order is closed.");
  });

  it("keeps the client's checks that failed and maps aliases", () => {
    const { result } = renderHook(() => useFieldErrors({ aliases: { what_type: "what_id" } }), { wrapper });
    let ok = true;
    act(() => {
      ok = result.current.validate({ subject: "Complete this field.", due_date: undefined });
    });
    expect(ok).toBe(false);
    expect(result.current.errors).toEqual({ subject: ["Complete this field."] });
    act(() => {
      result.current.showError(new ApiError(400, { code: "validation_error", message: "Invalid input.", errors: { what_type: ["Unknown type."] } }));
    });
    expect(result.current.errors).toEqual({ what_id: ["Unknown type."] });
    expect(result.current.formError).toBeNull();
  });
});
