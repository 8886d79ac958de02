import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { HeaderAction } from "../../components/header-action";
import { Modal } from "../../components/modal";
import { api, errorText } from "../../lib/api-client";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";

const OPEN_INVOICE = new Set(["Issued", "Partially Paid", "Overdue"]);

export type PaymentLink = {
  id: number;
  invoice_id: number;
  url: string;
  amount: string;
  amount_minor: number;
  currency: string;
  status: string;
  created_at: string;
};

type CurrentLink = { configured: boolean; link: PaymentLink | null };

/** The dialog: the invoice's Stripe Checkout link for its open balance, created on request, shown and copied. */
export function PaymentLinkDialog({ invoiceId, balance, onClose }: { invoiceId: number; balance: string; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [copied, setCopied] = useState(false);
  const key = ["invoice", invoiceId, "payment-link"];
  const current = useQuery({ queryKey: key, queryFn: () => api.get<CurrentLink>(`invoices/${invoiceId}/payment-link`) });
  const create = useMutation({
    mutationFn: () => api.post<PaymentLink>(`invoices/${invoiceId}/payment-link`, {}),
    onSuccess: (link) => queryClient.setQueryData<CurrentLink>(key, { configured: true, link }),
  });
  const link = current.data?.link ?? null;
  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      const field = document.getElementById("crm-payment-link") as HTMLInputElement | null;
      field?.select();
      document.execCommand?.("copy");
    }
    setCopied(true);
  };
  return (
    <Modal
      title={t("stripe.payOnline.title")}
      onClose={onClose}
      size="small"
      footer={
        <>
          <button type="button" className="slds-button slds-button_neutral" onClick={onClose}>
            {t("stripe.payOnline.close")}
          </button>
          {link ? (
            <button type="button" className="slds-button slds-button_brand" onClick={() => void copy(link.url)}>
              {copied ? t("stripe.payOnline.copied") : t("stripe.payOnline.copy")}
            </button>
          ) : (
            <button
              type="button"
              className="slds-button slds-button_brand"
              disabled={create.isPending || current.isLoading || current.data?.configured === false}
              onClick={() => create.mutate()}
            >
              {create.isPending ? t("stripe.payOnline.creating") : t("stripe.payOnline.create")}
            </button>
          )}
        </>
      }
    >
      <p className="slds-m-bottom_small">{t("stripe.payOnline.intro", { amount: balance })}</p>
      {current.data?.configured === false ? (
        <div className="slds-notify slds-notify_alert slds-alert_warning" role="alert">
          <h2>{t("stripe.payOnline.notConfigured")}</h2>
        </div>
      ) : null}
      {create.isError ? (
        <div className="slds-notify slds-notify_alert slds-alert_error" role="alert">
          <h2>{errorText(create.error, t("stripe.payOnline.failed"))}</h2>
        </div>
      ) : null}
      {link ? (
        <div className="slds-form-element">
          <label className="slds-form-element__label" htmlFor="crm-payment-link">
            {t("stripe.payOnline.link")}
          </label>
          <div className="slds-form-element__control slds-input-has-fixed-addon">
            <input id="crm-payment-link" className="slds-input" readOnly value={link.url} onFocus={(event) => event.currentTarget.select()} />
            <a className="slds-button slds-button_neutral slds-m-left_x-small" href={link.url} target="_blank" rel="noreferrer">
              {t("stripe.payOnline.open")}
            </a>
          </div>
        </div>
      ) : current.data?.configured ? (
        <p className="slds-text-color_weak">{t("stripe.payOnline.none")}</p>
      ) : null}
    </Modal>
  );
}

/** "Pay Online" on an issued invoice of an order or contract with an open balance. */
export function PaymentLinkAction({ record, canWrite }: RecordExtensionProps) {
  const { t } = useTranslation();
  const payable =
    record.kind === "Invoice" &&
    OPEN_INVOICE.has(String(record.status)) &&
    Boolean(record.order_id || record.contract_id) &&
    Number(record.balance_due ?? 0) > 0;
  if (!canWrite || !payable) return null;
  return (
    <HeaderAction
      label={t("stripe.payOnline.action")}
      dialog={(close) => (
        <PaymentLinkDialog
          invoiceId={Number(record.id)}
          balance={`${String(record.balance_due ?? "")} ${String(record.currency ?? "")}`.trim()}
          onClose={close}
        />
      )}
    />
  );
}
