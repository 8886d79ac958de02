import { useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ButtonIcon, ObjectIcon } from "../../components/icon";
import { ConfirmModal, Modal } from "../../components/modal";
import { ApiError, api, type Page } from "../../lib/api-client";
import type { RecordData } from "../../records/metadata/types";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";
import { CONTACT_ROLES, useOpportunityChange, type ContactRole } from "./line-items";

/** Contact Roles of an opportunity: contacts of its account with their part in the deal. */
export function ContactRolesCard({ record, canWrite }: RecordExtensionProps) {
  const { t } = useTranslation();
  const { t: tm } = useTranslation("meta");
  const roles = (record.contact_roles as ContactRole[] | undefined) ?? [];
  const change = useOpportunityChange(record.id);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<ContactRole | null>(null);
  const writable = canWrite && record.is_active !== false;
  const title = `${t("sales.roles.title")} (${roles.length})`;
  const roleLabel = (value: string) => tm(`options.${value}`, { defaultValue: value, nsSeparator: false });

  return (
    <article className="slds-card crm-related-list" aria-label={title}>
      <div className="slds-card__header slds-grid">
        <header className="slds-media slds-media_center slds-has-flexi-truncate">
          <div className="slds-media__figure">
            <ObjectIcon icon="contact" size="small" />
          </div>
          <div className="slds-media__body">
            <h2 className="slds-card__header-title">
              <span className="slds-truncate">{title}</span>
            </h2>
          </div>
          {writable ? (
            <div className="slds-no-flex">
              <button type="button" className="slds-button slds-button_neutral" onClick={() => setAdding(true)}>
                {t("sales.roles.add")}
              </button>
            </div>
          ) : null}
        </header>
      </div>
      <div className="slds-card__body">
        {roles.length === 0 ? (
          <p className="slds-p-horizontal_medium slds-p-bottom_small slds-text-color_weak">{t("record.relatedEmpty")}</p>
        ) : (
          <ul className="slds-has-dividers_top-space slds-p-horizontal_medium">
            {roles.map((role) => (
              <li key={role.id} className="slds-item slds-grid slds-grid_vertical-align-center">
                <div className="slds-col slds-truncate">
                  <Link to={`/o/contact/${role.contact_id}`}>{role.contact_name}</Link>
                  {role.is_primary ? <span className="slds-badge slds-m-left_x-small">{t("sales.roles.primary")}</span> : null}
                  <div className="slds-text-body_small slds-text-color_weak slds-truncate">
                    {roleLabel(role.role)}
                    {role.contact_title ? ` · ${role.contact_title}` : ""}
                  </div>
                </div>
                {writable ? (
                  <ButtonIcon icon="delete" size="small" label={t("sales.roles.remove", { name: role.contact_name })} onClick={() => setRemoving(role)} />
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </div>
      {adding ? <AddContactRoleModal record={record} onClose={() => setAdding(false)} roleLabel={roleLabel} /> : null}
      {removing ? (
        <ConfirmModal
          title={t("sales.roles.removeTitle")}
          body={t("sales.roles.removeBody", { name: removing.contact_name })}
          confirmLabel={t("sales.roles.removeButton")}
          destructive
          busy={change.isPending}
          onCancel={() => setRemoving(null)}
          onConfirm={() =>
            change
              .mutateAsync({ method: "DELETE", path: `contact_roles/${removing.id}`, success: t("sales.roles.removed", { name: removing.contact_name }) })
              .catch(() => undefined)
              .finally(() => setRemoving(null))
          }
        />
      ) : null}
    </article>
  );
}

type AddContactRoleModalProps = { record: RecordData; onClose: () => void; roleLabel: (value: string) => string };

function AddContactRoleModal({ record, onClose, roleLabel }: AddContactRoleModalProps) {
  const { t } = useTranslation();
  const formId = useId();
  const change = useOpportunityChange(record.id);
  const [contactId, setContactId] = useState("");
  const [role, setRole] = useState<string>(CONTACT_ROLES[0]);
  const [primary, setPrimary] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const contacts = useQuery({
    queryKey: ["contact", "by-account", record.account_id],
    enabled: Boolean(record.account_id),
    queryFn: ({ signal }) => api.get<Page<RecordData>>("contacts", { account_id: record.account_id as number, page_size: 100, ordering: "name" }, signal),
  });
  const options = contacts.data?.results ?? [];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!contactId) {
      setErrors({ contact_id: t("sales.roles.selectContact") });
      return;
    }
    const contact = options.find((item) => String(item.id) === contactId);
    try {
      await change.mutateAsync({
        method: "POST",
        path: "contact_roles",
        body: { contact_id: Number(contactId), role, is_primary: primary },
        success: t("sales.roles.added", { name: String(contact?.name ?? ""), role: roleLabel(role) }),
      });
      onClose();
    } catch (error) {
      if (error instanceof ApiError) {
        setErrors(Object.fromEntries(Object.entries(error.fieldErrors).map(([key, value]) => [key, value.join(" ")])));
      }
    }
  };

  return (
    <Modal
      title={t("sales.roles.add")}
      onClose={onClose}
      size="small"
      footer={
        <>
          <button type="button" className="slds-button slds-button_neutral" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" form={formId} className="slds-button slds-button_brand" disabled={change.isPending}>
            {t("common.save")}
          </button>
        </>
      }
    >
      <form id={formId} noValidate onSubmit={submit}>
        <div className={`slds-form-element slds-m-bottom_small${errors.contact_id ? " slds-has-error" : ""}`}>
          <label className="slds-form-element__label" htmlFor={`${formId}-contact`}>
            <abbr className="slds-required" title={t("common.required")}>
              *
            </abbr>
            {t("sales.roles.contact")}
          </label>
          <div className="slds-select_container">
            <select
              id={`${formId}-contact`}
              className="slds-select"
              value={contactId}
              aria-invalid={errors.contact_id ? true : undefined}
              aria-describedby={errors.contact_id ? `${formId}-contact-error` : undefined}
              onChange={(event) => setContactId(event.target.value)}
            >
              <option value="">{t("form.selectNone")}</option>
              {options.map((item) => (
                <option key={item.id} value={item.id}>
                  {String(item.name ?? `#${item.id}`)}
                </option>
              ))}
            </select>
          </div>
          {errors.contact_id ? (
            <div className="slds-form-element__help" id={`${formId}-contact-error`}>
              {errors.contact_id}
            </div>
          ) : !contacts.isLoading && options.length === 0 ? (
            <div className="slds-form-element__help">{t("sales.roles.noContacts")}</div>
          ) : null}
        </div>
        <div className={`slds-form-element slds-m-bottom_small${errors.role ? " slds-has-error" : ""}`}>
          <label className="slds-form-element__label" htmlFor={`${formId}-role`}>
            {t("sales.roles.role")}
          </label>
          <div className="slds-select_container">
            <select id={`${formId}-role`} className="slds-select" value={role} onChange={(event) => setRole(event.target.value)}>
              {CONTACT_ROLES.map((value) => (
                <option key={value} value={value}>
                  {roleLabel(value)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="slds-form-element">
          <div className="slds-checkbox">
            <input type="checkbox" id={`${formId}-primary`} checked={primary} onChange={(event) => setPrimary(event.target.checked)} />
            <label className="slds-checkbox__label" htmlFor={`${formId}-primary`}>
              <span className="slds-checkbox_faux" />
              <span className="slds-form-element__label">{t("sales.roles.primary")}</span>
            </label>
          </div>
        </div>
      </form>
    </Modal>
  );
}
