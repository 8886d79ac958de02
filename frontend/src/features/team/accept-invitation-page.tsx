import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router";
import { FormAlert, FormElement } from "../../components/form-element";
import { Spinner } from "../../components/spinner";
import { ApiError } from "../../lib/api-client";
import { setLanguage, storedLanguage } from "../../lib/i18n";
import { sessionQuery } from "../../lib/session";
import { useFieldErrors } from "../../lib/use-field-errors";
import { acceptInvitation, invitationCheckQuery } from "./api/invitation-queries";
import { NewPasswordFields, SignedOutFrame } from "./password-pages";

const REFUSALS = {
  invitation_invalid: "team.invitation.invalid",
  invitation_used: "team.invitation.used",
  invitation_revoked: "team.invitation.revoked",
  invitation_expired: "team.invitation.expired",
} as const;

type Refusal = keyof typeof REFUSALS;

function refusalOf(error: unknown): Refusal | null {
  return error instanceof ApiError && error.code in REFUSALS ? (error.code as Refusal) : null;
}

/** /accept-invitation?token=…: the invitee sees the organization and email, picks a name and a password, and lands signed in. */
export function AcceptInvitationPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const check = useQuery({ ...invitationCheckQuery(token), enabled: Boolean(token) });
  const [refused, setRefused] = useState<Refusal | null>(null);

  const invitation = check.data;
  const refusal: Refusal | null = !token
    ? "invitation_invalid"
    : (refused ?? refusalOf(check.error) ?? (invitation && !invitation.valid ? (invitation.code as Refusal) : null));
  const title = invitation ? t("team.invitation.acceptTitle", { organization: invitation.organization }) : t("team.invitation.section");

  if (refusal) {
    return (
      <SignedOutFrame title={title}>
        <FormAlert spacing="small">{t(REFUSALS[refusal])}</FormAlert>
        {invitation ? <p className="slds-text-color_weak">{invitation.email}</p> : null}
      </SignedOutFrame>
    );
  }
  if (check.isError) {
    return (
      <SignedOutFrame title={title}>
        <FormAlert spacing="small">{t("errors.generic")}</FormAlert>
      </SignedOutFrame>
    );
  }
  if (!invitation) {
    return (
      <SignedOutFrame title={title}>
        <div className="slds-is-relative slds-p-around_large" aria-busy="true">
          <Spinner />
          <p className="slds-assistive-text">{t("team.invitation.checking")}</p>
        </div>
      </SignedOutFrame>
    );
  }
  return (
    <SignedOutFrame title={title}>
      <AcceptForm token={token} email={invitation.email} organization={invitation.organization} role={invitation.role} onRefused={setRefused} />
    </SignedOutFrame>
  );
}

type AcceptFormProps = { token: string; email: string; organization: string; role: string; onRefused: (refusal: Refusal) => void };

function AcceptForm({ token, email, organization, role, onRefused }: AcceptFormProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, setBusy] = useState(false);
  const { errors, formError, validate, showError } = useFieldErrors({ fields: ["name", "password", "confirm"] });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = validate({
      name: name.trim() ? undefined : t("form.requiredError"),
      password: password ? undefined : t("form.requiredError"),
      confirm: confirm === password ? undefined : t("team.password.mismatch"),
    });
    if (!ok) return;
    setBusy(true);
    try {
      const answer = await acceptInvitation({ token, name: name.trim(), password });
      if (!storedLanguage() && (answer.user.language === "bg" || answer.user.language === "en")) setLanguage(answer.user.language);
      queryClient.setQueryData(sessionQuery.queryKey, answer.user);
      navigate("/", { replace: true });
    } catch (caught) {
      const refusal = refusalOf(caught);
      if (refusal) onRefused(refusal);
      else showError(caught);
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      {formError ? <FormAlert spacing="small">{formError}</FormAlert> : null}
      <p className="slds-m-bottom_medium">{t("team.invitation.intro", { organization, role: t(`work.admin.roles.${role}`, { defaultValue: role }) })}</p>
      <FormElement id="accept-email" label={t("team.invitation.email")} className="slds-m-bottom_small">
        {({ aria }) => <input {...aria} type="email" autoComplete="username" className="slds-input" value={email} readOnly />}
      </FormElement>
      <FormElement id="accept-name" label={t("team.invitation.name")} required errors={errors.name} className="slds-m-bottom_small">
        {({ aria }) => (
          <input {...aria} type="text" autoComplete="name" className="slds-input" value={name} onChange={(event) => setName(event.target.value)} />
        )}
      </FormElement>
      <NewPasswordFields idPrefix="accept" errors={errors} password={password} confirm={confirm} onPassword={setPassword} onConfirm={setConfirm} />
      <button type="submit" className="slds-button slds-button_brand slds-button_stretch" disabled={busy}>
        {busy ? t("team.invitation.accepting") : t("team.invitation.accept")}
      </button>
    </form>
  );
}
