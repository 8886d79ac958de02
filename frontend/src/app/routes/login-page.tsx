import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { FormAlert, FormElement, Select } from "../../components/form-element";
import { Icon } from "../../components/icon";
import { ApiError, api } from "../../lib/api-client";
import { LANGUAGES, setLanguage, storedLanguage, type Language } from "../../lib/i18n";
import { sessionQuery, useSession, type SessionUser } from "../../lib/session";
import { SignupLink } from "../../features/saas/signup-link";

/** Only same-app paths are followed after sign-in (no open redirect). */
export function safeNext(value: string | null): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/login")) return "/";
  return value;
}

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const session = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Filled when the email and password fit accounts in several organizations: the user picks one.
  const [organizations, setOrganizations] = useState<{ id: number; name: string }[]>([]);
  const [organization, setOrganization] = useState("");
  const next = safeNext(params.get("next"));

  useEffect(() => {
    document.title = t("login.title");
  }, [t]);

  if (session.data) return <Navigate to={next} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // The session is the httpOnly cookie the answer sets; the body carries the user only.
      const answer = await api.post<{ user: SessionUser }>("auth/login", {
        email,
        password,
        ...(organization ? { organization: Number(organization) } : {}),
      });
      if (!storedLanguage() && (answer.user.language === "bg" || answer.user.language === "en")) {
        setLanguage(answer.user.language);
      }
      queryClient.setQueryData(sessionQuery.queryKey, answer.user);
      navigate(next, { replace: true });
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === "organization_required") {
        const choices = caught.body?.organizations ?? [];
        setOrganizations(choices);
        setOrganization(String(choices[0]?.id ?? ""));
        setError(t("login.chooseOrganization"));
      } else if (caught instanceof ApiError && caught.status === 429) setError(caught.message);
      else if (caught instanceof ApiError && caught.status === 400) setError(t("login.invalid"));
      else setError(t("login.failed"));
      setBusy(false);
    }
  };

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
          <h1 className="slds-text-heading_medium slds-m-bottom_medium">{t("login.title")}</h1>
          {error ? (
            <FormAlert>
              <h2>{error}</h2>
            </FormAlert>
          ) : null}
          <form onSubmit={submit} noValidate>
            <FormElement id="login-email" label={t("login.email")} className="slds-m-bottom_small">
              <input
                id="login-email"
                type="email"
                autoComplete="username"
                className="slds-input"
                value={email}
                required
                onChange={(event) => {
                  setEmail(event.target.value);
                  setOrganizations([]);
                  setOrganization("");
                }}
              />
            </FormElement>
            <FormElement id="login-password" label={t("login.password")} className="slds-m-bottom_medium">
              <input
                id="login-password"
                type="password"
                autoComplete="current-password"
                className="slds-input"
                value={password}
                required
                onChange={(event) => setPassword(event.target.value)}
              />
            </FormElement>
            {organizations.length > 1 ? (
              <FormElement id="login-organization" label={t("login.organization")} className="slds-m-bottom_medium">
                <Select
                  id="login-organization"
                  value={organization}
                  onChange={setOrganization}
                  options={organizations.map((choice) => ({ value: String(choice.id), label: choice.name }))}
                />
              </FormElement>
            ) : null}
            <button type="submit" className="slds-button slds-button_brand slds-button_stretch" disabled={busy}>
              {busy ? t("login.submitting") : t("login.submit")}
            </button>
          </form>
          <p className="slds-m-top_medium slds-text-align_center">
            <Link to="/forgot-password">{t("team.password.forgot")}</Link>
          </p>
          <SignupLink />
        </div>
        <div className="crm-login__footer">
          <span>{t("login.footer")}</span>
          <span className="crm-login__languages">
            {LANGUAGES.map((language: Language) => (
              <button key={language} type="button" className="slds-button" aria-pressed={i18n.language === language} onClick={() => setLanguage(language)}>
                {t(`languages.${language}`)}
              </button>
            ))}
          </span>
        </div>
      </div>
    </div>
  );
}
