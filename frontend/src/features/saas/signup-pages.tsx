import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { FormAlert, FormElement } from "../../components/form-element";
import { Spinner } from "../../components/spinner";
import { api, errorText } from "../../lib/api-client";
import { useFieldErrors } from "../../lib/use-field-errors";
import { SignedOutFrame } from "../team/password-pages";

const FIELDS = ["organization_name", "name", "email", "password"] as const;
type Field = (typeof FIELDS)[number];

/** /signup (SaaS mode): a new organization and its owner, created once the email is confirmed. */
export function SignupPage() {
  const { t } = useTranslation();
  const [values, setValues] = useState<Record<Field, string>>({ organization_name: "", name: "", email: "", password: "" });
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const { errors, formError, validate, showError } = useFieldErrors({ fields: [...FIELDS] });
  const labels: Record<Field, string> = {
    organization_name: t("stripe.saas.organizationName"),
    name: t("stripe.saas.yourName"),
    email: t("stripe.saas.email"),
    password: t("stripe.saas.password"),
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checks = Object.fromEntries(FIELDS.map((field) => [field, values[field].trim() ? undefined : t("form.requiredError")]));
    if (!validate(checks)) return;
    setBusy(true);
    try {
      await api.post("saas/signup", { ...values, email: values.email.trim() });
      setSent(true);
    } catch (caught) {
      showError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <SignedOutFrame title={t("stripe.saas.signupTitle")}>
      {sent ? (
        <div className="slds-notify slds-notify_alert slds-alert_info" role="status">
          <h2>{t("stripe.saas.checkInbox")}</h2>
        </div>
      ) : (
        <form onSubmit={submit} noValidate>
          {formError ? <FormAlert spacing="small">{formError}</FormAlert> : null}
          <p className="slds-m-bottom_medium">{t("stripe.saas.signupIntro")}</p>
          {FIELDS.map((field) => (
            <FormElement key={field} id={`signup-${field}`} label={labels[field]} required errors={errors[field]} className="slds-m-bottom_small">
              {({ aria }) => (
                <input
                  {...aria}
                  type={field === "password" ? "password" : field === "email" ? "email" : "text"}
                  autoComplete={field === "password" ? "new-password" : field === "email" ? "username" : field === "name" ? "name" : "organization"}
                  className="slds-input"
                  value={values[field]}
                  onChange={(event) => setValues({ ...values, [field]: event.target.value })}
                />
              )}
            </FormElement>
          ))}
          <button type="submit" className="slds-button slds-button_brand slds-button_stretch slds-m-top_small" disabled={busy}>
            {busy ? t("stripe.saas.signingUp") : t("stripe.saas.signUp")}
          </button>
        </form>
      )}
    </SignedOutFrame>
  );
}

/** /signup/verify?token=…: confirms the email, which creates the organization. */
export function VerifySignupPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [state, setState] = useState<{ done?: { organization: string; email: string }; error?: string }>({});
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    if (!token) {
      setState({ error: t("stripe.saas.verifyFailed") });
      return;
    }
    api
      .post<{ organization: string; email: string }>("saas/verify", { token })
      .then((done) => setState({ done }))
      .catch((caught: unknown) => setState({ error: errorText(caught, t("stripe.saas.verifyFailed")) }));
  }, [token, t]);

  return (
    <SignedOutFrame title={t("stripe.saas.verifyTitle")}>
      {state.done ? (
        <>
          <div className="slds-notify slds-notify_alert slds-alert_info slds-m-bottom_medium" role="status">
            <h2>{t("stripe.saas.verified", state.done)}</h2>
          </div>
          <Link className="slds-button slds-button_brand slds-button_stretch" to={`/login?email=${encodeURIComponent(state.done.email)}`}>
            {t("stripe.saas.signIn")}
          </Link>
        </>
      ) : state.error ? (
        <FormAlert>{state.error}</FormAlert>
      ) : (
        <div className="slds-is-relative" style={{ minHeight: "4rem" }}>
          <Spinner />
          <p className="slds-assistive-text">{t("stripe.saas.verifying")}</p>
        </div>
      )}
    </SignedOutFrame>
  );
}
