import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { FormAlert, FormElement, ModalFooter, Select } from "../../components/form-element";
import { ConfirmModal, Modal } from "../../components/modal";
import { PageHeader } from "../../components/page-header";
import { Spinner } from "../../components/spinner";
import { Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { useSession } from "../../lib/session";
import { useFieldErrors } from "../../lib/use-field-errors";
import { formatDateTime, formatNumber } from "../../records/fields/format";
import { AdminGuard } from "./admin-guard";
import { SetupNav } from "./setup-nav";
import { useCreateUser, useSaveUser, usersQuery, type AdminUser } from "./api/admin-queries";
import { InvitationsCard } from "./invitations-card";

export const ROLES = ["owner", "admin", "manager", "user"] as const;

/** Setup › Users: list, create, change role, deactivate / reactivate. */
export function UsersPage() {
  return (
    <AdminGuard>
      <UsersAdmin />
    </AdminGuard>
  );
}

function UsersAdmin() {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const { data: me } = useSession();
  const users = useQuery(usersQuery());
  const save = useSaveUser();
  const [creating, setCreating] = useState(false);
  const [deactivating, setDeactivating] = useState<AdminUser | null>(null);
  const roleLabel = (role: string) => t(`work.admin.roles.${role}`, { defaultValue: role });

  useEffect(() => {
    document.title = `${t("work.admin.users")} | ${t("work.admin.setup")}`;
  }, [t]);

  const changeRole = async (user: AdminUser, role: string) => {
    try {
      await save.mutateAsync({ user, changes: { role } });
      toast.show({ variant: "success", message: t("work.admin.roleChanged", { name: user.name, role: roleLabel(role) }) });
    } catch {
      // toast shown by the mutation
    }
  };

  const changeManager = async (user: AdminUser, value: string) => {
    const managerId = value ? Number(value) : null;
    try {
      await save.mutateAsync({ user, changes: { manager_id: managerId } });
      const manager = rows.find((row) => row.id === managerId);
      toast.show({
        variant: "success",
        message: manager ? t("sharing.manager.changed", { name: user.name, manager: manager.name }) : t("sharing.manager.cleared", { name: user.name }),
      });
    } catch {
      // toast shown by the mutation (a cycle is refused with the server's message)
    }
  };

  const reactivate = async (user: AdminUser) => {
    try {
      await save.mutateAsync({ user, changes: { is_active: true } });
      toast.show({ variant: "success", message: t("work.admin.reactivated", { name: user.name }) });
    } catch {
      // toast shown by the mutation
    }
  };

  const rows = users.data?.results ?? [];
  return (
    <div className="crm-page">
      <PageHeader
        icon="user"
        meta={t("work.admin.setup")}
        title={t("work.admin.users")}
        metaText={users.isLoading ? undefined : t("list.items", { count: rows.length, total: formatNumber(rows.length, i18n.language) })}
        actions={
          <button type="button" className="slds-button slds-button_neutral" onClick={() => setCreating(true)}>
            {t("work.admin.newUser")}
          </button>
        }
      />
      <SetupNav />
      <div className="slds-card">
        {users.isLoading ? <Spinner /> : null}
        <Table
          className="crm-card-table"
          label={t("work.admin.users")}
          columns={[
            { key: "name", label: t("work.admin.name") },
            { key: "email", label: t("work.admin.email") },
            { key: "role", label: t("work.admin.role") },
            { key: "manager", label: t("sharing.manager.label") },
            { key: "status", label: t("work.admin.status") },
            { key: "lastLogin", label: t("work.admin.lastLogin") },
            { key: "actions", label: t("common.actions"), labelHidden: true },
          ]}
        >
          {rows.map((user) => {
            const self = user.id === me?.id;
            return (
              <tr key={user.id} className="slds-hint-parent">
                <th scope="row" data-label={t("work.admin.name")}>
                  <div className="slds-truncate">{user.name}</div>
                </th>
                <td data-label={t("work.admin.email")}>
                  <div className="slds-truncate">{user.email}</div>
                </td>
                <td data-label={t("work.admin.role")}>
                  <Select
                    className="crm-role-select"
                    aria-label={t("work.admin.changeRole", { name: user.name })}
                    value={user.role}
                    disabled={self || !user.is_active || save.isPending}
                    onChange={(role) => void changeRole(user, role)}
                    options={ROLES.map((role) => ({ value: role, label: roleLabel(role) }))}
                  />
                </td>
                <td data-label={t("sharing.manager.label")}>
                  <Select
                    className="crm-role-select"
                    aria-label={t("sharing.manager.change", { name: user.name })}
                    value={user.manager_id ? String(user.manager_id) : ""}
                    placeholder={t("sharing.manager.none")}
                    disabled={!user.is_active || save.isPending}
                    onChange={(value) => void changeManager(user, value)}
                    options={rows.filter((row) => row.id !== user.id && row.is_active).map((row) => ({ value: String(row.id), label: row.name }))}
                  />
                </td>
                <td data-label={t("work.admin.status")}>
                  <span className={`slds-badge ${user.is_active ? "slds-theme_success" : ""}`}>
                    {user.is_active ? t("work.admin.active") : t("work.admin.inactive")}
                  </span>
                </td>
                <td data-label={t("work.admin.lastLogin")}>{user.last_login ? formatDateTime(user.last_login, i18n.language) : t("work.admin.never")}</td>
                <td className="slds-text-align_right">
                  {self ? null : user.is_active ? (
                    <button type="button" className="slds-button slds-button_text-destructive" onClick={() => setDeactivating(user)}>
                      {t("work.admin.deactivate")}
                      <span className="slds-assistive-text"> {user.name}</span>
                    </button>
                  ) : (
                    <button type="button" className="slds-button slds-button_neutral" onClick={() => void reactivate(user)}>
                      {t("work.admin.reactivate")}
                      <span className="slds-assistive-text"> {user.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </Table>
      </div>
      <InvitationsCard />
      {creating ? <NewUserModal onClose={() => setCreating(false)} /> : null}
      {deactivating ? (
        <ConfirmModal
          title={t("work.admin.deactivateTitle")}
          body={t("work.admin.deactivateBody", { name: deactivating.name })}
          confirmLabel={t("work.admin.deactivate")}
          destructive
          busy={save.isPending}
          onCancel={() => setDeactivating(null)}
          onConfirm={async () => {
            try {
              await save.mutateAsync({ user: deactivating, changes: { is_active: false } });
              toast.show({ variant: "success", message: t("work.admin.deactivated", { name: deactivating.name }) });
            } catch {
              // toast shown by the mutation
            }
            setDeactivating(null);
          }}
        />
      ) : null}
    </div>
  );
}

export type NewUserModalProps = { onClose: () => void };

export function NewUserModal({ onClose }: NewUserModalProps) {
  const { t } = useTranslation();
  const toast = useToast();
  const formId = useId();
  const [values, setValues] = useState({ name: "", email: "", role: "user" });
  const { errors, formError, validate, showError } = useFieldErrors({ summary: true });
  const create = useCreateUser();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = validate({
      name: values.name.trim() ? undefined : t("form.requiredError"),
      email: values.email.trim() ? undefined : t("form.requiredError"),
    });
    if (!ok) return;
    try {
      const user = await create.mutateAsync({ ...values, name: values.name.trim(), email: values.email.trim() });
      toast.show({ variant: "success", message: t("work.admin.userCreated", { name: user.name }) });
      onClose();
    } catch (error) {
      showError(error);
    }
  };

  const input = (name: "name" | "email", label: string, type = "text") => (
    <FormElement id={`${formId}-${name}`} label={label} required errors={errors[name]} className="slds-form-element_stacked">
      {({ aria }) => (
        <input
          {...aria}
          type={type}
          className="slds-input"
          value={values[name]}
          onChange={(event) => setValues((current) => ({ ...current, [name]: event.target.value }))}
        />
      )}
    </FormElement>
  );

  return (
    <Modal title={t("work.admin.newUser")} onClose={onClose} size="small" footer={<ModalFooter onCancel={onClose} form={formId} busy={create.isPending} />}>
      {formError ? <FormAlert snag>{formError}</FormAlert> : null}
      <form id={formId} noValidate onSubmit={submit}>
        {input("name", t("work.admin.name"))}
        {input("email", t("work.admin.email"), "email")}
        <FormElement id={`${formId}-role`} label={t("work.admin.role")} errors={errors.role} className="slds-form-element_stacked">
          {({ aria }) => (
            <Select
              {...aria}
              value={values.role}
              onChange={(role) => setValues((current) => ({ ...current, role }))}
              options={ROLES.map((role) => ({ value: role, label: t(`work.admin.roles.${role}`) }))}
            />
          )}
        </FormElement>
      </form>
    </Modal>
  );
}
