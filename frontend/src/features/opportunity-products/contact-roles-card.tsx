import { useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Card, CardEmpty } from "../../components/card";
import { Checkbox, FormElement, ModalFooter, Select } from "../../components/form-element";
import { ButtonIcon } from "../../components/icon";
import { ConfirmModal, Modal } from "../../components/modal";
import { useFieldErrors } from "../../lib/use-field-errors";
import { useMetaIndex } from "../../records/metadata/use-object-meta";
import type { RecordData } from "../../records/metadata/types";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";
import { accountContactsQuery, contactRoles, useOpportunityChange, type ContactRole } from "./api/opportunity-products-queries";

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
    <>
      <Card
        className="crm-related-list"
        icon="contact"
        title={title}
        actions={
          writable ? (
            <button type="button" className="slds-button slds-button_neutral" onClick={() => setAdding(true)}>
              {t("sales.roles.add")}
            </button>
          ) : null
        }
      >
        {roles.length === 0 ? (
          <CardEmpty>{t("record.relatedEmpty")}</CardEmpty>
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
      </Card>
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
    </>
  );
}

type AddContactRoleModalProps = { record: RecordData; onClose: () => void; roleLabel: (value: string) => string };

function AddContactRoleModal({ record, onClose, roleLabel }: AddContactRoleModalProps) {
  const { t } = useTranslation();
  const formId = useId();
  const { data: metaIndex } = useMetaIndex();
  const roles = contactRoles(metaIndex);
  const change = useOpportunityChange(record.id);
  const [contactId, setContactId] = useState("");
  const [chosenRole, setRole] = useState("");
  const role = chosenRole || (roles[0] ?? "");
  const [primary, setPrimary] = useState(false);
  const { errors, validate, showError } = useFieldErrors();
  const contacts = useQuery(accountContactsQuery(record.account_id as number | null));
  const options = contacts.data?.results ?? [];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!validate({ contact_id: contactId ? undefined : t("sales.roles.selectContact") })) return;
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
      showError(error);
    }
  };

  return (
    <Modal
      title={t("sales.roles.add")}
      onClose={onClose}
      size="small"
      footer={<ModalFooter onCancel={onClose} form={formId} busy={change.isPending} busyLabel={t("common.save")} />}
    >
      <form id={formId} noValidate onSubmit={submit}>
        <FormElement
          id={`${formId}-contact`}
          label={t("sales.roles.contact")}
          required
          errors={errors.contact_id}
          help={!contacts.isLoading && options.length === 0 ? t("sales.roles.noContacts") : null}
          className="slds-m-bottom_small"
        >
          {({ aria }) => (
            <Select
              {...aria}
              value={contactId}
              onChange={setContactId}
              placeholder={t("form.selectNone")}
              options={options.map((item) => ({ value: String(item.id), label: String(item.name ?? `#${item.id}`) }))}
            />
          )}
        </FormElement>
        <FormElement id={`${formId}-role`} label={t("sales.roles.role")} errors={errors.role} className="slds-m-bottom_small">
          {({ aria }) => <Select {...aria} value={role} onChange={setRole} options={roles.map((value) => ({ value, label: roleLabel(value) }))} />}
        </FormElement>
        <div className="slds-form-element">
          <Checkbox id={`${formId}-primary`} label={t("sales.roles.primary")} checked={primary} onChange={setPrimary} />
        </div>
      </form>
    </Modal>
  );
}
