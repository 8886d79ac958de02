import { useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Card, CardEmpty } from "../../components/card";
import { FormAlert, FormElement, ModalFooter, Select } from "../../components/form-element";
import { ConfirmModal, Modal } from "../../components/modal";
import { Spinner } from "../../components/spinner";
import { Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { errorText } from "../../lib/api-client";
import { useSession } from "../../lib/session";
import { useFieldErrors } from "../../lib/use-field-errors";
import { formatDateTime } from "../../records/fields/format";
import { invitationsQuery, useInvitationAction, useInviteUser, type Invitation, type NewInvitation } from "./api/invitation-queries";

const ROLES = ["owner", "admin", "manager", "user"] as const;

type Pending = { invitation: Invitation; action: "resend" | "revoke" };

/** Setup › Users › Invitations: invite by email with a role, then resend or revoke what is pending. */
export function InvitationsCard() {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const invitations = useQuery(invitationsQuery());
  const act = useInvitationAction();
  const [inviting, setInviting] = useState(false);
  const [confirming, setConfirming] = useState<Pending | null>(null);
  const rows = invitations.data?.results ?? [];
  const roleLabel = (role: string | undefined) => t(`work.admin.roles.${role ?? "user"}`, { defaultValue: role });

  const confirm = async ({ invitation, action }: Pending) => {
    try {
      await act.mutateAsync({ invitation, action });
      toast.show({
        variant: "success",
        message:
          action === "resend" ? t("team.invitation.resent", { email: invitation.email }) : t("team.invitation.revokedToast", { email: invitation.email }),
      });
    } catch (error) {
      toast.show({ variant: "error", message: errorText(error, t("errors.generic")) });
    }
    setConfirming(null);
  };

  return (
    <Card
      as="section"
      className="slds-m-top_medium"
      title={t("team.invitation.section")}
      icon="user"
      actions={
        <button type="button" className="slds-button slds-button_neutral" onClick={() => setInviting(true)}>
          {t("team.invitation.invite")}
        </button>
      }
    >
      {invitations.isLoading ? <Spinner /> : null}
      {invitations.isLoading ? null : rows.length === 0 ? (
        <CardEmpty>{t("team.invitation.none")}</CardEmpty>
      ) : (
        <Table
          className="crm-card-table"
          label={t("team.invitation.section")}
          columns={[
            { key: "email", label: t("work.admin.email") },
            { key: "role", label: t("work.admin.role") },
            { key: "invitedBy", label: t("team.invitation.invitedBy") },
            { key: "sent", label: t("team.invitation.sentAt") },
            { key: "expires", label: t("team.invitation.expires") },
            { key: "status", label: t("team.invitation.status") },
            { key: "actions", label: t("common.actions"), labelHidden: true },
          ]}
        >
          {rows.map((invitation) => (
            <tr key={invitation.id} className="slds-hint-parent">
              <th scope="row" data-label={t("work.admin.email")}>
                <div className="slds-truncate">{invitation.email}</div>
              </th>
              <td data-label={t("work.admin.role")}>{roleLabel(invitation.role)}</td>
              <td data-label={t("team.invitation.invitedBy")}>
                <div className="slds-truncate">{invitation.invited_by.name}</div>
              </td>
              <td data-label={t("team.invitation.sentAt")}>{formatDateTime(invitation.sent_at, i18n.language)}</td>
              <td data-label={t("team.invitation.expires")}>{formatDateTime(invitation.expires_at, i18n.language)}</td>
              <td data-label={t("team.invitation.status")}>
                <span className={`slds-badge ${invitation.status === "expired" ? "slds-theme_warning" : ""}`}>
                  {invitation.status === "expired" ? t("team.invitation.expiredBadge") : t("team.invitation.pending")}
                </span>
              </td>
              <td className="slds-text-align_right">
                <div className="slds-button-group" role="group" aria-label={t("team.invitation.rowActions", { email: invitation.email })}>
                  <button type="button" className="slds-button slds-button_neutral" onClick={() => setConfirming({ invitation, action: "resend" })}>
                    {t("team.invitation.resend")} <span className="slds-assistive-text">{invitation.email}</span>
                  </button>
                  <button
                    type="button"
                    className="slds-button slds-button_text-destructive slds-button_neutral"
                    onClick={() => setConfirming({ invitation, action: "revoke" })}
                  >
                    {t("team.invitation.revoke")} <span className="slds-assistive-text">{invitation.email}</span>
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </Table>
      )}
      {inviting ? <InviteUserModal onClose={() => setInviting(false)} /> : null}
      {confirming ? (
        <ConfirmModal
          title={confirming.action === "resend" ? t("team.invitation.resendTitle") : t("team.invitation.revokeTitle")}
          body={
            confirming.action === "resend"
              ? t("team.invitation.resendBody", { email: confirming.invitation.email })
              : t("team.invitation.revokeBody", { email: confirming.invitation.email })
          }
          confirmLabel={confirming.action === "resend" ? t("team.invitation.resend") : t("team.invitation.revoke")}
          destructive={confirming.action === "revoke"}
          busy={act.isPending}
          onCancel={() => setConfirming(null)}
          onConfirm={() => void confirm(confirming)}
        />
      ) : null}
    </Card>
  );
}

export type InviteUserModalProps = { onClose: () => void };

/** Email and role; the server refuses an address that has a user or a pending invitation, as a field error. */
export function InviteUserModal({ onClose }: InviteUserModalProps) {
  const { t } = useTranslation();
  const toast = useToast();
  const formId = useId();
  const { data: me } = useSession();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<NewInvitation["role"]>("user");
  const { errors, formError, validate, showError } = useFieldErrors({ fields: ["email", "role"] });
  const invite = useInviteUser();
  // Only an Owner may invite an Owner.
  const roles = ROLES.filter((choice) => choice !== "owner" || me?.role === "owner");

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!validate({ email: email.trim() ? undefined : t("form.requiredError") })) return;
    try {
      const created = await invite.mutateAsync({ email: email.trim(), role });
      toast.show({ variant: "success", message: t("team.invitation.sent", { email: created.email }) });
      onClose();
    } catch (error) {
      showError(error);
    }
  };

  return (
    <Modal
      title={t("team.invitation.inviteTitle")}
      tagline={t("team.invitation.inviteHelp")}
      onClose={onClose}
      size="small"
      footer={<ModalFooter onCancel={onClose} form={formId} busy={invite.isPending} label={t("team.invitation.send")} busyLabel={t("team.password.sending")} />}
    >
      {formError ? <FormAlert snag>{formError}</FormAlert> : null}
      <form id={formId} noValidate onSubmit={submit}>
        <FormElement id={`${formId}-email`} label={t("work.admin.email")} required errors={errors.email} className="slds-form-element_stacked">
          {({ aria }) => <input {...aria} type="email" className="slds-input" value={email} onChange={(event) => setEmail(event.target.value)} />}
        </FormElement>
        <FormElement id={`${formId}-role`} label={t("work.admin.role")} errors={errors.role} className="slds-form-element_stacked">
          {({ aria }) => (
            <Select
              {...aria}
              value={role}
              onChange={(value) => setRole(value as NewInvitation["role"])}
              options={roles.map((choice) => ({ value: choice, label: t(`work.admin.roles.${choice}`) }))}
            />
          )}
        </FormElement>
      </form>
    </Modal>
  );
}
