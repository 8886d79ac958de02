import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "./api-client";

/** Messages per form field, as the server's `errors` object carries them. */
export type FieldErrors = Record<string, string[]>;

export type FieldErrorOptions = {
  /**
   * The fields the form shows. A server error on another field (or on `account` for `account_id`)
   * goes to the form message; without this list every field error shows inline.
   */
  fields?: readonly string[];
  /** Server field names shown under another field, e.g. {what_type: "what_id"}. */
  aliases?: Record<string, string>;
  /** Say "review the errors on this page" at the top when errors show inline. */
  summary?: boolean;
};

/**
 * Form state for errors: the client's own checks and the server's `{code, message, errors: {field: [...]}}`
 * mapped to inline messages under each field plus one message for the whole form.
 */
export function useFieldErrors({ fields, aliases = {}, summary = false }: FieldErrorOptions = {}) {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  /** Shows the client's checks (undefined = fine); true when there are none. */
  const validate = useCallback(
    (checks: Record<string, string | undefined>) => {
      const found: FieldErrors = {};
      for (const [name, message] of Object.entries(checks)) if (message) found[name] = [message];
      setErrors(found);
      const ok = Object.keys(found).length === 0;
      setFormError(ok || !summary ? null : t("form.reviewErrors"));
      return ok;
    },
    [summary, t],
  );

  /** Shows a failed save; true when the server named fields that now show their errors inline. */
  const showError = (error: unknown): boolean => {
    if (!(error instanceof ApiError)) {
      setErrors({});
      setFormError(t("errors.generic"));
      return false;
    }
    const target = (name: string): string | null => {
      if (aliases[name]) return aliases[name];
      if (!fields) return name;
      if (fields.includes(name)) return name;
      return fields.includes(`${name}_id`) ? `${name}_id` : null;
    };
    const inline: FieldErrors = {};
    const other: string[] = [];
    for (const [name, messages] of Object.entries(error.fieldErrors)) {
      const field = target(name);
      if (field) inline[field] = [...(inline[field] ?? []), ...messages];
      else other.push(...messages);
    }
    setErrors(inline);
    const hasInline = Object.keys(inline).length > 0;
    if (error.isConflict) setFormError(t("errors.conflict"));
    else if (other.length) setFormError(other.join(" "));
    else if (hasInline) setFormError(summary ? t("form.reviewErrors") : null);
    else setFormError(error.message);
    return hasInline;
  };

  const clear = (name?: string) => {
    if (name === undefined) {
      setErrors({});
      setFormError(null);
    } else if (errors[name]) {
      setErrors(({ [name]: _removed, ...rest }) => rest);
    }
  };

  return { errors, formError, setFormError, validate, showError, clear };
}
