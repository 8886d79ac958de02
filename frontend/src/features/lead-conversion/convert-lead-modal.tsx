import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ObjectIcon } from "../../components/icon";
import { Modal } from "../../components/modal";
import { ApiError, api } from "../../lib/api-client";
import { LookupInput } from "../../records/fields/lookup-input";
import type { RecordData } from "../../records/metadata/types";

export type ConversionResult = {
  message: string;
  lead_id: number;
  created_records: { account: RecordData; contact: RecordData; opportunity: RecordData | null };
};

export type ConvertLeadModalProps = {
  lead: RecordData;
  onClose: () => void;
  onConverted?: (result: ConversionResult) => void;
};

type Errors = Partial<Record<"account_id" | "opportunity_name" | "form", string>>;

/** Lead conversion: shows the account, contact and opportunity to be created, then links to them. */
export function ConvertLeadModal({ lead, onClose, onConverted }: ConvertLeadModalProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const formId = useId();
  const leadName = String(lead.name ?? `${lead.first_name ?? ""} ${lead.last_name ?? ""}`).trim();
  const company = String(lead.company ?? "").trim();
  const [accountMode, setAccountMode] = useState<"create" | "existing">("create");
  const [account, setAccount] = useState<{ id: number | null; name: string | null }>({ id: null, name: null });
  const [opportunityName, setOpportunityName] = useState(company ? `${company} -` : leadName);
  const [errors, setErrors] = useState<Errors>({});
  const [result, setResult] = useState<ConversionResult | null>(null);

  const convert = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<ConversionResult>(`leads/${lead.id}/convert`, body),
    onSuccess: (data) => {
      setResult(data);
      for (const object of ["lead", "account", "contact", "opportunity", "opportunity-pipeline"]) {
        void queryClient.invalidateQueries({ queryKey: [object] });
      }
      onConverted?.(data);
    },
    onError: (error) => {
      if (error instanceof ApiError) {
        const { account_id, opportunity_name, ...rest } = error.fieldErrors;
        setErrors({
          account_id: account_id?.join(" "),
          opportunity_name: opportunity_name?.join(" "),
          form: Object.values(rest).flat().join(" ") || (account_id || opportunity_name ? undefined : error.message),
        });
      } else {
        setErrors({ form: t("errors.generic") });
      }
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: Errors = {};
    if (!opportunityName.trim()) next.opportunity_name = t("sales.convert.opportunityRequired");
    if (accountMode === "existing" && account.id === null) next.account_id = t("sales.convert.accountRequired");
    setErrors(next);
    if (Object.keys(next).length) return;
    convert.mutate({
      opportunity_name: opportunityName.trim(),
      ...(accountMode === "existing" ? { account_id: account.id } : {}),
    });
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
        <>
          <button type="button" className="slds-button slds-button_neutral" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" form={formId} className="slds-button slds-button_brand" disabled={convert.isPending}>
            {convert.isPending ? t("sales.convert.converting") : t("sales.convert.submit")}
          </button>
        </>
      }
    >
      <form id={formId} noValidate onSubmit={submit}>
        {errors.form ? (
          <div className="slds-notify slds-notify_alert slds-alert_error slds-m-bottom_small" role="alert">
            {errors.form}
          </div>
        ) : null}
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
            <div className={`slds-form-element slds-m-top_x-small${errors.account_id ? " slds-has-error" : ""}`}>
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
                <div className="slds-m-left_large slds-m-top_x-small">
                  <label className="slds-form-element__label" htmlFor={`${formId}-account`}>
                    <abbr className="slds-required" title={t("common.required")}>
                      *
                    </abbr>
                    {t("sales.convert.existingAccount")}
                  </label>
                  <div className="slds-form-element__control">
                    <LookupInput
                      id={`${formId}-account`}
                      target="account"
                      label={t("sales.convert.account")}
                      value={account.id}
                      displayName={account.name}
                      onChange={(id, name) => setAccount({ id, name })}
                      required
                      invalid={Boolean(errors.account_id)}
                      describedBy={errors.account_id ? `${formId}-account-error` : undefined}
                    />
                  </div>
                  {errors.account_id ? (
                    <div className="slds-form-element__help" id={`${formId}-account-error`}>
                      {errors.account_id}
                    </div>
                  ) : null}
                </div>
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
          <div className={`slds-form-element${errors.opportunity_name ? " slds-has-error" : ""}`}>
            <label className="slds-form-element__label" htmlFor={`${formId}-opportunity`}>
              <abbr className="slds-required" title={t("common.required")}>
                *
              </abbr>
              {t("sales.convert.opportunityName")}
            </label>
            <div className="slds-form-element__control">
              <input
                id={`${formId}-opportunity`}
                className="slds-input"
                value={opportunityName}
                maxLength={255}
                required
                aria-invalid={errors.opportunity_name ? true : undefined}
                aria-describedby={errors.opportunity_name ? `${formId}-opportunity-error` : undefined}
                onChange={(event) => setOpportunityName(event.target.value)}
              />
            </div>
            {errors.opportunity_name ? (
              <div className="slds-form-element__help" id={`${formId}-opportunity-error`}>
                {errors.opportunity_name}
              </div>
            ) : null}
          </div>,
        )}
      </form>
    </Modal>
  );
}
