import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { FormAlert, FormElement, Select } from "../../components/form-element";
import { PageHeader } from "../../components/page-header";
import { Spinner } from "../../components/spinner";
import { useToast } from "../../components/toast";
import { ApiError, api, errorText } from "../../lib/api-client";
import { LANGUAGES, setLanguage, type Language } from "../../lib/i18n";
import { sessionQuery, useSession, type SessionUser } from "../../lib/session";
import { useFieldErrors } from "../../lib/use-field-errors";
import { NewPasswordFields } from "./password-pages";

type Token = { id: number; name: string; prefix: string; created_at: string; expires_at: string | null; last_used_at: string | null };

/** A date and time in the user's time zone. */
function useWhen(zone: string | undefined) {
  const { i18n } = useTranslation();
  return (value: string | null) =>
    value ? new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short", timeZone: zone || undefined }).format(new Date(value)) : "—";
}

/** /profile: the signed-in user's name, language, time zone, password, sessions and API tokens. */
export function ProfilePage() {
  const { t } = useTranslation();
  const session = useSession();
  useEffect(() => {
    document.title = t("team.profile.title");
  }, [t]);
  if (!session.data) return <Spinner />;
  return (
    <div className="crm-page">
      <PageHeader icon="user" meta={session.data.email} title={t("team.profile.title")} />
      <div className="slds-grid slds-wrap slds-gutters_small">
        <div className="slds-col slds-size_1-of-1 slds-large-size_1-of-2">
          <DetailsCard user={session.data} />
          <SessionsCard />
        </div>
        <div className="slds-col slds-size_1-of-1 slds-large-size_1-of-2">
          <PasswordCard />
          <TokensCard zone={session.data.effective_time_zone} />
        </div>
      </div>
    </div>
  );
}

function DetailsCard({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [name, setName] = useState(user.name);
  const [language, setUserLanguage] = useState(user.language);
  const [zone, setZone] = useState(user.time_zone ?? "");
  const [busy, setBusy] = useState(false);
  const { errors, formError, showError, clear } = useFieldErrors({ fields: ["name", "language", "time_zone"] });
  const organizationZone = user.effective_time_zone && !user.time_zone ? user.effective_time_zone : "";

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const saved = await api.patch<SessionUser>("auth/me", { name, language, time_zone: zone, version: user.version });
      queryClient.setQueryData(sessionQuery.queryKey, saved);
      if (saved.language === "en" || saved.language === "bg") setLanguage(saved.language);
      clear();
      toast.show({ variant: "success", message: t("team.profile.saved") });
    } catch (caught) {
      if (caught instanceof ApiError && caught.isConflict) {
        toast.show({ variant: "error", message: t("errors.conflict") });
        void queryClient.invalidateQueries({ queryKey: sessionQuery.queryKey });
      } else showError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title={t("team.profile.details")}
      icon="user"
      inner
      footer={
        <button type="submit" form="profile-details" className="slds-button slds-button_brand" disabled={busy}>
          {busy ? t("common.saving") : t("common.save")}
        </button>
      }
    >
      <form id="profile-details" noValidate onSubmit={submit}>
        {formError ? <FormAlert spacing="small">{formError}</FormAlert> : null}
        <FormElement id="profile-name" label={t("team.profile.name")} required errors={errors.name} className="slds-m-bottom_small">
          {({ aria }) => <input {...aria} className="slds-input" value={name} maxLength={150} onChange={(event) => setName(event.target.value)} />}
        </FormElement>
        <FormElement id="profile-language" label={t("team.profile.language")} errors={errors.language} className="slds-m-bottom_small">
          {({ aria }) => (
            <Select
              {...aria}
              value={language}
              onChange={setUserLanguage}
              options={LANGUAGES.map((code: Language) => ({ value: code, label: t(`languages.${code}`) }))}
            />
          )}
        </FormElement>
        <FormElement
          id="profile-zone"
          label={t("team.profile.timeZone")}
          errors={errors.time_zone}
          help={t("team.profile.timeZoneHelp", { zone: organizationZone || user.effective_time_zone || "" })}
        >
          {({ aria }) => <input {...aria} className="slds-input" value={zone} onChange={(event) => setZone(event.target.value)} />}
        </FormElement>
      </form>
    </Card>
  );
}

function PasswordCard() {
  const { t } = useTranslation();
  const toast = useToast();
  const [current, setCurrent] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, setBusy] = useState(false);
  const { errors, formError, validate, showError } = useFieldErrors({
    fields: ["current_password", "password", "confirm"],
    aliases: { new_password: "password" },
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = validate({
      current_password: current ? undefined : t("form.requiredError"),
      password: password ? undefined : t("form.requiredError"),
      confirm: confirm === password ? undefined : t("team.password.mismatch"),
    });
    if (!ok) return;
    setBusy(true);
    try {
      await api.post("auth/password/change", { current_password: current, new_password: password });
      setCurrent("");
      setPassword("");
      setConfirm("");
      toast.show({ variant: "success", message: t("team.profile.passwordChanged") });
    } catch (caught) {
      showError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title={t("team.profile.changePassword")}
      icon="password"
      inner
      footer={
        <button type="submit" form="profile-password" className="slds-button slds-button_brand" disabled={busy}>
          {busy ? t("team.password.saving") : t("team.profile.changePassword")}
        </button>
      }
    >
      <form id="profile-password" noValidate onSubmit={submit}>
        {formError ? <FormAlert spacing="small">{formError}</FormAlert> : null}
        <FormElement id="profile-current" label={t("team.profile.currentPassword")} required errors={errors.current_password} className="slds-m-bottom_small">
          {({ aria }) => (
            <input
              {...aria}
              type="password"
              autoComplete="current-password"
              className="slds-input"
              value={current}
              onChange={(event) => setCurrent(event.target.value)}
            />
          )}
        </FormElement>
        <NewPasswordFields idPrefix="profile" errors={errors} password={password} confirm={confirm} onPassword={setPassword} onConfirm={setConfirm} />
      </form>
    </Card>
  );
}

function SessionsCard() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const signOut = async () => {
    setBusy(true);
    try {
      await api.post("auth/sign-out-everywhere");
    } finally {
      queryClient.setQueryData(sessionQuery.queryKey, null);
      window.location.assign("/login");
    }
  };
  return (
    <Card title={t("team.profile.sessions")} icon="people" inner>
      <p className="slds-m-bottom_small">{t("team.profile.sessionsHelp")}</p>
      <button type="button" className="slds-button slds-button_destructive" disabled={busy} onClick={() => void signOut()}>
        {t("team.profile.signOutEverywhere")}
      </button>
    </Card>
  );
}

function TokensCard({ zone }: { zone: string | undefined }) {
  const { t } = useTranslation();
  const toast = useToast();
  const when = useWhen(zone);
  const tokens = useQuery({ queryKey: ["auth", "tokens"], queryFn: ({ signal }) => api.get<Token[]>("auth/tokens", undefined, signal) });
  const [name, setName] = useState("");
  const [shown, setShown] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const made = await api.post<Token & { token: string }>("auth/tokens", { name: name.trim() });
      setShown(made.token);
      setName("");
      setError(null);
      void tokens.refetch();
    } catch (caught) {
      setError(errorText(caught, t("errors.generic")));
    }
  };
  const revoke = async (token: Token) => {
    await api.delete(`auth/tokens/${token.id}`);
    toast.show({ variant: "success", message: t("team.profile.revoked") });
    void tokens.refetch();
  };

  return (
    <Card title={t("team.profile.tokens")} icon="apex_plugin" inner>
      {error ? <FormAlert spacing="small">{error}</FormAlert> : null}
      {shown ? (
        <div className="slds-notify slds-notify_alert slds-alert_warning slds-m-bottom_small" role="status">
          <h2>
            {t("team.profile.tokenCreated")} <code className="crm-token">{shown}</code>
          </h2>
        </div>
      ) : null}
      <form className="slds-grid slds-grid_vertical-align-end slds-m-bottom_small" noValidate onSubmit={create}>
        <FormElement id="token-name" label={t("team.profile.tokenName")} className="slds-grow slds-m-right_small">
          {({ aria }) => <input {...aria} className="slds-input" value={name} maxLength={100} onChange={(event) => setName(event.target.value)} />}
        </FormElement>
        <button type="submit" className="slds-button slds-button_neutral" disabled={!name.trim()}>
          {t("team.profile.createToken")}
        </button>
      </form>
      {tokens.data && tokens.data.length ? (
        <table className="slds-table slds-table_bordered slds-table_cell-buffer">
          <thead>
            <tr className="slds-line-height_reset">
              <th scope="col">{t("team.profile.tokenName")}</th>
              <th scope="col">{t("team.profile.created")}</th>
              <th scope="col">{t("team.profile.lastUsed")}</th>
              <th scope="col">{t("team.profile.expires")}</th>
              <th scope="col">
                <span className="slds-assistive-text">{t("team.profile.revoke")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.map((token) => (
              <tr key={token.id}>
                <th scope="row">
                  {token.name} <span className="slds-text-color_weak">{token.prefix}…</span>
                </th>
                <td>{when(token.created_at)}</td>
                <td>{when(token.last_used_at)}</td>
                <td>{token.expires_at ? when(token.expires_at) : t("team.profile.never")}</td>
                <td>
                  <button type="button" className="slds-button slds-button_text-destructive" onClick={() => void revoke(token)}>
                    {t("team.profile.revoke")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="slds-text-color_weak">{t("team.profile.noTokens")}</p>
      )}
    </Card>
  );
}
