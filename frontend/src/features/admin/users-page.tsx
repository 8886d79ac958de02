import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ObjectIcon } from "../../components/icon";
import { ConfirmModal, Modal } from "../../components/modal";
import { Spinner } from "../../components/spinner";
import { useToast } from "../../components/toast";
import { ApiError, api, type Page } from "../../lib/api-client";
import { useSession } from "../../lib/session";
import { formatDateTime, formatNumber } from "../../records/fields/format";
import { AdminGuard } from "./admin-guard";

export const ROLES = ["owner", "admin", "manager", "user"] as const;
export type AdminUser = { id: number; name: string; email: string; role: string; is_active: boolean; version: number; last_login: string | null };

const USERS_KEY = ["admin", "users"];

function useSaveUser() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const { t } = useTranslation();
  return useMutation({
    mutationFn: ({ user, changes }: { user: AdminUser; changes: Partial<AdminUser> }) =>
      api.put<AdminUser>(`admin/users/${user.id}`, { ...changes, version: user.version }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: USERS_KEY }),
    onError: (error) => {
      const message = error instanceof ApiError && error.isConflict ? t("errors.conflict") : error instanceof ApiError ? error.message : t("errors.generic");
      toast.show({ variant: "error", message });
    },
  });
}

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
  const users = useQuery({
    queryKey: USERS_KEY,
    queryFn: ({ signal }) => api.get<Page<AdminUser>>("admin/users", { ordering: "name", page_size: 200 }, signal),
  });
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
      <div className="slds-page-header crm-card-shadow">
        <div className="slds-page-header__row">
          <div className="slds-page-header__col-title">
            <div className="slds-media">
              <div className="slds-media__figure">
                <ObjectIcon icon="user" size="small" />
              </div>
              <div className="slds-media__body">
                <div className="slds-page-header__name">
                  <div className="slds-page-header__name-title">
                    <span className="slds-page-header__name-meta">{t("work.admin.setup")}</span>
                    <h1 className="slds-page-header__title slds-truncate">{t("work.admin.users")}</h1>
                  </div>
                </div>
              </div>
            </div>
          </div>
          <div className="slds-page-header__col-actions">
            <button type="button" className="slds-button slds-button_neutral" onClick={() => setCreating(true)}>
              {t("work.admin.newUser")}
            </button>
          </div>
        </div>
        <div className="slds-page-header__row">
          <p className="slds-page-header__meta-text slds-text-body_small">
            {t("list.items", { count: rows.length, total: formatNumber(rows.length, i18n.language) })}
          </p>
        </div>
      </div>
      <div className="slds-card">
        {users.isLoading ? <Spinner /> : null}
        <table className="slds-table slds-table_bordered slds-table_cell-buffer crm-card-table" aria-label={t("work.admin.users")}>
          <thead>
            <tr className="slds-line-height_reset">
              <th scope="col">{t("work.admin.name")}</th>
              <th scope="col">{t("work.admin.email")}</th>
              <th scope="col">{t("work.admin.role")}</th>
              <th scope="col">{t("work.admin.status")}</th>
              <th scope="col">{t("work.admin.lastLogin")}</th>
              <th scope="col">
                <span className="slds-assistive-text">{t("common.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
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
                    <div className="slds-select_container crm-role-select">
                      <select
                        className="slds-select"
                        aria-label={t("work.admin.changeRole", { name: user.name })}
                        value={user.role}
                        disabled={self || !user.is_active || save.isPending}
                        onChange={(event) => void changeRole(user, event.target.value)}
                      >
                        {ROLES.map((role) => (
                          <option key={role} value={role}>
                            {roleLabel(role)}
                          </option>
                        ))}
                      </select>
                    </div>
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
          </tbody>
        </table>
      </div>
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
  const queryClient = useQueryClient();
  const formId = useId();
  const [values, setValues] = useState({ name: "", email: "", role: "user" });
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (body: typeof values) => api.post<AdminUser>("admin/users", body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: USERS_KEY }),
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local: Record<string, string[]> = {};
    if (!values.name.trim()) local.name = [t("form.requiredError")];
    if (!values.email.trim()) local.email = [t("form.requiredError")];
    setErrors(local);
    if (Object.keys(local).length) {
      setFormError(t("form.reviewErrors"));
      return;
    }
    try {
      const user = await create.mutateAsync({ ...values, name: values.name.trim(), email: values.email.trim() });
      toast.show({ variant: "success", message: t("work.admin.userCreated", { name: user.name }) });
      onClose();
    } catch (error) {
      if (error instanceof ApiError) {
        setErrors(error.fieldErrors);
        setFormError(Object.keys(error.fieldErrors).length ? t("form.reviewErrors") : error.message);
      } else {
        setFormError(t("errors.generic"));
      }
    }
  };

  const input = (name: "name" | "email", label: string, type = "text") => (
    <div className={`slds-form-element slds-form-element_stacked ${errors[name] ? "slds-has-error" : ""}`}>
      <label className="slds-form-element__label" htmlFor={`${formId}-${name}`}>
        <abbr className="slds-required" title={t("common.required")}>
          *{" "}
        </abbr>
        {label}
      </label>
      <div className="slds-form-element__control">
        <input
          id={`${formId}-${name}`}
          type={type}
          className="slds-input"
          value={values[name]}
          aria-invalid={Boolean(errors[name]) || undefined}
          aria-describedby={errors[name] ? `${formId}-${name}-error` : undefined}
          onChange={(event) => setValues((current) => ({ ...current, [name]: event.target.value }))}
        />
      </div>
      {errors[name] ? (
        <div className="slds-form-element__help" id={`${formId}-${name}-error`}>
          {errors[name].join(" ")}
        </div>
      ) : null}
    </div>
  );

  return (
    <Modal
      title={t("work.admin.newUser")}
      onClose={onClose}
      size="small"
      footer={
        <>
          <button type="button" className="slds-button slds-button_neutral" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" form={formId} className="slds-button slds-button_brand" disabled={create.isPending}>
            {create.isPending ? t("common.saving") : t("common.save")}
          </button>
        </>
      }
    >
      {formError ? (
        <div className="slds-notify slds-notify_alert slds-alert_error slds-m-bottom_medium" role="alert">
          <h2>
            <strong>{t("form.snag")}</strong> {formError}
          </h2>
        </div>
      ) : null}
      <form id={formId} noValidate onSubmit={submit}>
        {input("name", t("work.admin.name"))}
        {input("email", t("work.admin.email"), "email")}
        <div className={`slds-form-element slds-form-element_stacked ${errors.role ? "slds-has-error" : ""}`}>
          <label className="slds-form-element__label" htmlFor={`${formId}-role`}>
            {t("work.admin.role")}
          </label>
          <div className="slds-form-element__control">
            <div className="slds-select_container">
              <select
                id={`${formId}-role`}
                className="slds-select"
                value={values.role}
                onChange={(event) => setValues((current) => ({ ...current, role: event.target.value }))}
              >
                {ROLES.map((role) => (
                  <option key={role} value={role}>
                    {t(`work.admin.roles.${role}`)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {errors.role ? <div className="slds-form-element__help">{errors.role.join(" ")}</div> : null}
        </div>
      </form>
    </Modal>
  );
}
