import { useId, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ObjectIcon } from "../../components/icon";
import { FormAlert, FormElement, ModalFooter } from "../../components/form-element";
import { Modal } from "../../components/modal";
import { useFieldErrors } from "../../lib/use-field-errors";
import { LookupInput } from "../../records/fields/lookup-input";
import type { RecordData } from "../../records/metadata/types";
import { useConvertLead, type ConversionResult } from "./api/lead-conversion-queries";

export type ConvertLeadModalProps = {
  lead: RecordData;
  onClose: () => void;
  onConverted?: (result: ConversionResult) => void;
};

/** Lead conversion: shows the account, contact and opportunity to be created, then links to them. */
export function ConvertLeadModal({ lead, onClose, onConverted }: ConvertLeadModalProps) {
  const { t } = useTranslation();
  const formId = useId();
  const leadName = String(lead.name ?? `${lead.first_name ?? ""} ${lead.last_name ?? ""}`).trim();
  const company = String(lead.company ?? "").trim();
  const [accountMode, setAccountMode] = useState<"create" | "existing">("create");
  const [account, setAccount] = useState<{ id: number | null; name: string | null }>({ id: null, name: null });
  const [opportunityName, setOpportunityName] = useState(company ? `${company} -` : leadName);
  const { errors, formError, validate, showError } = useFieldErrors({ fields: ["account_id", "opportunity_name"] });
  const [result, setResult] = useState<ConversionResult | null>(null);

  const convert = useConvertLead(lead.id, (data) => {
    setResult(data);
    onConverted?.(data);
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const ok = validate({
      opportunity_name: opportunityName.trim() ? undefined : t("sales.convert.opportunityRequired"),
      account_id: accountMode === "existing" && account.id === null ? t("sales.convert.accountRequired") : undefined,
    });
    if (!ok) return;
    convert.mutate(
      {
        opportunity_name: opportunityName.trim(),
        ...(accountMode === "existing" ? { account_id: account.id } : {}),
      },
      { onError: showError },
    );
  };

  if (result) {
    const { account: newAccount, contact, opportunity } = result.created_records;
    const links = [
      { object: "account", icon: "account", label: t("sales.convert.account"), record: newAccount, name: String(newAccount.name ?? "") },
      { object: "contact", icon: "contact", label: t("sales.convert.contact"), record: contact, name: String(contact.name ?? "") },
      ...(opportunity
        ? [{ object: "opportunity", icon: "opportunity", label: t("sales.convert.opportunity"), record: opportunity, name: String(opportunity.name ?? "") }]
        : []),
    ];
    return (
      <Modal
        title={t("sales.convert.successTitle")}
        onClose={onClose}
        size="medium"
        footer={
          <>
            <Link className="slds-button slds-button_neutral" to="/o/lead" onClick={onClose}>
              {t("sales.convert.goToLeads")}
            </Link>
            <button type="button" className="slds-button slds-button_brand" onClick={onClose}>
              {t("common.close")}
            </button>
          </>
        }
      >
        <div className="slds-grid slds-wrap slds-gutters_x-small crm-convert-success" role="status">
          {links.map((item) => (
            <div key={item.object} className="slds-col slds-size_1-of-1 slds-medium-size_1-of-3 slds-m-bottom_small">
              <article className="slds-card slds-card_boundary slds-p-around_small">
                <div className="slds-media slds-media_center">
                  <div className="slds-media__figure">
                    <ObjectIcon icon={item.icon} size="small" />
                  </div>
                  <div className="slds-media__body slds-truncate">
                    <p className="slds-text-title_caps">{item.label}</p>
                    <Link to={`/o/${item.object}/${item.record.id}`} onClick={onClose} className="slds-text-heading_small">
                      {item.name}
                    </Link>
                  </div>
                </div>
              </article>
            </div>
          ))}
        </div>
      </Modal>
    );
  }

  const section = (icon: string, title: string, body: ReactNode) => (
    <fieldset className="slds-box slds-box_small slds-m-bottom_small crm-convert-section">
      <legend className="slds-text-heading_small slds-p-horizontal_xx-small">
        <ObjectIcon icon={icon} size="x-small" /> <span className="slds-m-left_xx-small">{title}</span>
      </legend>
      {body}
    </fieldset>
  );

  return (
    <Modal
      title={t("sales.convert.title")}
      tagline={t("sales.convert.tagline", { name: leadName })}
      onClose={onClose}
      size="medium"
      footer={
        <ModalFooter onCancel={onClose} form={formId} busy={convert.isPending} label={t("sales.convert.submit")} busyLabel={t("sales.convert.converting")} />
      }
    >
      <form id={formId} noValidate onSubmit={submit}>
        {formError ? <FormAlert spacing="small">{formError}</FormAlert> : null}
        {section(
          "account",
          t("sales.convert.account"),
          <>
            <div className="slds-form-element">
              <span className="slds-radio">
                <input
                  type="radio"
                  id={`${formId}-create`}
                  name={`${formId}-mode`}
                  checked={accountMode === "create"}
                  onChange={() => setAccountMode("create")}
                />
                <label className="slds-radio__label" htmlFor={`${formId}-create`}>
                  <span className="slds-radio_faux" />
                  <span className="slds-form-element__label">{t("sales.convert.createAccount")}</span>
                </label>
              </span>
              {accountMode === "create" ? (
                <p className="slds-m-left_large slds-m-vertical_x-small">
                  <span className="slds-text-color_weak">{t("sales.convert.accountName")}: </span>
                  <strong>{company || leadName}</strong>
                </p>
              ) : null}
            </div>
            <div className="slds-form-element slds-m-top_x-small">
              <span className="slds-radio">
                <input
                  type="radio"
                  id={`${formId}-existing`}
                  name={`${formId}-mode`}
                  checked={accountMode === "existing"}
                  onChange={() => setAccountMode("existing")}
                />
                <label className="slds-radio__label" htmlFor={`${formId}-existing`}>
                  <span className="slds-radio_faux" />
                  <span className="slds-form-element__label">{t("sales.convert.chooseAccount")}</span>
                </label>
              </span>
              {accountMode === "existing" ? (
                <FormElement
                  id={`${formId}-account`}
                  label={t("sales.convert.existingAccount")}
                  required
                  errors={errors.account_id}
                  className="slds-m-left_large slds-m-top_x-small"
                >
                  {({ id, invalid, describedBy }) => (
                    <LookupInput
                      id={id}
                      target="account"
                      label={t("sales.convert.account")}
                      value={account.id}
                      displayName={account.name}
                      onChange={(accountId, name) => setAccount({ id: accountId, name })}
                      required
                      invalid={invalid}
                      describedBy={describedBy}
                    />
                  )}
                </FormElement>
              ) : null}
            </div>
          </>,
        )}
        {section(
          "contact",
          t("sales.convert.contact"),
          <p>
            <span className="slds-text-color_weak">{t("sales.convert.contactName")}: </span>
            <strong>{leadName}</strong>
          </p>,
        )}
        {section(
          "opportunity",
          t("sales.convert.opportunity"),
          <FormElement id={`${formId}-opportunity`} label={t("sales.convert.opportunityName")} required errors={errors.opportunity_name}>
            {({ aria }) => (
              <input
                {...aria}
                className="slds-input"
                value={opportunityName}
                maxLength={255}
                required
                onChange={(event) => setOpportunityName(event.target.value)}
              />
            )}
          </FormElement>,
        )}
      </form>
    </Modal>
  );
}
