import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { FormAlert, FormElement } from "../../components/form-element";
import { Icon } from "../../components/icon";
import { ApiError, api } from "../../lib/api-client";
import { useFieldErrors } from "../../lib/use-field-errors";

/** The signed-out frame of the sign-in page, around one card. */
export function SignedOutFrame({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = title;
  }, [title]);
  return (
    <div className="crm-login">
      <div className="crm-login__box">
        <div className="crm-login__brand">
          <span className="slds-icon_container slds-icon-standard-account crm-login__logo">
            <Icon category="standard" name="account" size="large" />
          </span>
          <span className="slds-text-heading_large">{t("app.name")}</span>
        </div>
        <div className="slds-card slds-p-around_large">
          <h1 className="slds-text-heading_medium slds-m-bottom_medium">{title}</h1>
          {children}
        </div>
        <div className="crm-login__footer">
          <Link to="/login">{t("team.password.signIn")}</Link>
        </div>
      </div>
    </div>
  );
}

function SuccessNote({ children }: { children: ReactNode }) {
  return (
    <div className="slds-notify slds-notify_alert slds-alert_info slds-m-bottom_medium" role="status">
      <h2>{children}</h2>
    </div>
  );
}

/** /forgot-password: always the same answer, whether or not the address has an account. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState("");
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const { errors, formError, validate, showError } = useFieldErrors({ fields: ["email"] });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!validate({ email: email.trim() ? undefined : t("form.requiredError") })) return;
    setBusy(true);
    try {
      await api.post("auth/password/reset", { email: email.trim() });
      setSent(true);
    } catch (caught) {
      showError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <SignedOutFrame title={t("team.password.forgotTitle")}>
      {sent ? (
        <SuccessNote>{t("team.password.sent")}</SuccessNote>
      ) : (
        <form onSubmit={submit} noValidate>
          {formError ? <FormAlert spacing="small">{formError}</FormAlert> : null}
          <p className="slds-m-bottom_medium">{t("team.password.forgotIntro")}</p>
          <FormElement id="forgot-email" label={t("login.email")} required errors={errors.email} className="slds-m-bottom_medium">
            {({ aria }) => (
              <input {...aria} type="email" autoComplete="username" className="slds-input" value={email} onChange={(event) => setEmail(event.target.value)} />
            )}
          </FormElement>
          <button type="submit" className="slds-button slds-button_brand slds-button_stretch" disabled={busy}>
            {busy ? t("team.password.sending") : t("team.password.send")}
          </button>
        </form>
      )}
    </SignedOutFrame>
  );
}

/** A new password typed twice; `onSubmit` gets it once the two agree. */
export function NewPasswordFields({
  idPrefix,
  errors,
  password,
  confirm,
  onPassword,
  onConfirm,
}: {
  idPrefix: string;
  errors: Record<string, string[]>;
  password: string;
  confirm: string;
  onPassword: (value: string) => void;
  onConfirm: (value: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <FormElement id={`${idPrefix}-password`} label={t("team.password.newPassword")} required errors={errors.password} className="slds-m-bottom_small">
        {({ aria }) => (
          <input
            {...aria}
            type="password"
            autoComplete="new-password"
            className="slds-input"
            value={password}
            onChange={(event) => onPassword(event.target.value)}
          />
        )}
      </FormElement>
      <FormElement id={`${idPrefix}-confirm`} label={t("team.password.confirm")} required errors={errors.confirm} className="slds-m-bottom_medium">
        {({ aria }) => (
          <input
            {...aria}
            type="password"
            autoComplete="new-password"
            className="slds-input"
            value={confirm}
            onChange={(event) => onConfirm(event.target.value)}
          />
        )}
      </FormElement>
    </>
  );
}

/** /set-password (welcome mail) and /reset-password (reset mail): the one-time link's uid and token. */
export function SetPasswordPage({ reset = false }: { reset?: boolean }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const uid = params.get("uid") ?? "";
  const token = params.get("token") ?? "";
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [linkInvalid, setLinkInvalid] = useState(!uid || !token);
  const { errors, formError, validate, showError } = useFieldErrors({ fields: ["password", "confirm"] });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = validate({
      password: password ? undefined : t("form.requiredError"),
      confirm: confirm === password ? undefined : t("team.password.mismatch"),
    });
    if (!ok) return;
    setBusy(true);
    try {
      await api.post("auth/password/set", { uid, token, password });
      setDone(true);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === "invalid_link") setLinkInvalid(true);
      else showError(caught);
    } finally {
      setBusy(false);
    }
  };

  const title = reset ? t("team.password.resetTitle") : t("team.password.setTitle");
  if (done) {
    return (
      <SignedOutFrame title={title}>
        <SuccessNote>{t("team.password.done")}</SuccessNote>
        <Link className="slds-button slds-button_brand slds-button_stretch" to="/login">
          {t("login.submit")}
        </Link>
      </SignedOutFrame>
    );
  }
  return (
    <SignedOutFrame title={title}>
      {linkInvalid ? (
        <>
          <FormAlert spacing="small">{t("team.password.invalidLink")}</FormAlert>
          <Link to="/forgot-password">{t("team.password.forgot")}</Link>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          {formError ? <FormAlert spacing="small">{formError}</FormAlert> : null}
          <NewPasswordFields idPrefix="set" errors={errors} password={password} confirm={confirm} onPassword={setPassword} onConfirm={setConfirm} />
          <button type="submit" className="slds-button slds-button_brand slds-button_stretch" disabled={busy}>
            {busy ? t("team.password.saving") : t("team.password.save")}
          </button>
        </form>
      )}
    </SignedOutFrame>
  );
}
