import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Modal } from "../../components/modal";
import { useToast } from "../../components/toast";
import { ApiError, api } from "../../lib/api-client";
import { useCurrency } from "../../lib/session";
import { formatCurrency } from "../../records/fields/format";

export const PAYMENT_METHODS = ["Bank Transfer", "Stripe", "PayPal", "Cash"] as const;
export const PAYMENT_STATUSES = ["Completed", "Pending", "Failed"] as const;

export type LogPaymentModalProps = {
  /** "orders" or "contracts". */
  parentPath: "orders" | "contracts";
  parentId: number;
  /** Pre-filled amount (e.g. the balance due). */
  defaultAmount?: string;
  /** Contracts log retainer payments: the checkbox starts ticked. */
  retainer?: boolean;
  onClose: () => void;
};

function today(): string {
  const date = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

type Values = {
  amount: string;
  payment_date: string;
  payment_method: string;
  status: string;
  transaction_id: string;
  notes: string;
  service_period_start: string;
  service_period_end: string;
};

/** Log Payment: amount, date, method, status, transaction id, notes; a retainer payment also gives its service period. */
export function LogPaymentModal({ parentPath, parentId, defaultAmount, retainer: retainerDefault = false, onClose }: LogPaymentModalProps) {
  const { t, i18n } = useTranslation();
  const { t: tm } = useTranslation("meta");
  const currency = useCurrency();
  const toast = useToast();
  const queryClient = useQueryClient();
  const formId = useId();
  const [retainer, setRetainer] = useState(retainerDefault);
  const [values, setValues] = useState<Values>({
    amount: defaultAmount && Number(defaultAmount) > 0 ? defaultAmount : "",
    payment_date: today(),
    payment_method: PAYMENT_METHODS[0],
    status: PAYMENT_STATUSES[0],
    transaction_id: "",
    notes: "",
    service_period_start: "",
    service_period_end: "",
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState("");
  const set = (name: keyof Values) => (value: string) => setValues((current) => ({ ...current, [name]: value }));
  const option = (value: string) => tm(`options.${value}`, { defaultValue: value, nsSeparator: false });

  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<{ amount: string }>(`${parentPath}/${parentId}/payments`, body),
    onSuccess: (payment) => {
      void queryClient.invalidateQueries({ queryKey: [parentPath === "orders" ? "order" : "contract"] });
      void queryClient.invalidateQueries({ queryKey: ["payment"] });
      toast.show({ variant: "success", message: t("sales.billing.logged", { amount: formatCurrency(payment.amount, i18n.language, currency) }) });
      onClose();
    },
    onError: (error) => {
      if (error instanceof ApiError && Object.keys(error.fieldErrors).length) {
        setErrors(Object.fromEntries(Object.entries(error.fieldErrors).map(([key, value]) => [key, value.join(" ")])));
        setFormError("");
      } else {
        setFormError(error instanceof ApiError ? error.message : t("errors.generic"));
      }
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: Record<string, string> = {};
    if (!(Number(values.amount) > 0)) next.amount = t("sales.products.positive");
    if (!values.payment_date) next.payment_date = t("form.requiredError");
    if (retainer) {
      if (!values.service_period_start) next.service_period_start = t("form.requiredError");
      if (!values.service_period_end) next.service_period_end = t("form.requiredError");
      else if (values.service_period_start && values.service_period_end < values.service_period_start) {
        next.service_period_end = t("sales.billing.periodOrder");
      }
    }
    setErrors(next);
    if (Object.keys(next).length) return;
    const { service_period_start, service_period_end, ...rest } = values;
    save.mutate(retainer ? { ...rest, service_period_start, service_period_end } : rest);
  };

  const input = (name: keyof Values, label: string, type: string, required = false) => (
    <div className={`slds-form-element slds-m-bottom_small${errors[name] ? " slds-has-error" : ""}`}>
      <label className="slds-form-element__label" htmlFor={`${formId}-${name}`}>
        {required ? (
          <abbr className="slds-required" title={t("common.required")}>
            *
          </abbr>
        ) : null}
        {label}
      </label>
      <div className="slds-form-element__control">
        {type === "textarea" ? (
          <textarea id={`${formId}-${name}`} className="slds-textarea" value={values[name]} onChange={(event) => set(name)(event.target.value)} />
        ) : (
          <input
            id={`${formId}-${name}`}
            className="slds-input"
            type={type}
            step={type === "number" ? "0.01" : undefined}
            min={type === "number" ? "0.01" : undefined}
            value={values[name]}
            required={required}
            aria-invalid={errors[name] ? true : undefined}
            aria-describedby={errors[name] ? `${formId}-${name}-error` : undefined}
            onChange={(event) => set(name)(event.target.value)}
          />
        )}
      </div>
      {errors[name] ? (
        <div className="slds-form-element__help" id={`${formId}-${name}-error`}>
          {errors[name]}
        </div>
      ) : null}
    </div>
  );

  const select = (name: keyof Values, label: string, choices: readonly string[]) => (
    <div className={`slds-form-element slds-m-bottom_small${errors[name] ? " slds-has-error" : ""}`}>
      <label className="slds-form-element__label" htmlFor={`${formId}-${name}`}>
        {label}
      </label>
      <div className="slds-form-element__control">
        <div className="slds-select_container">
          <select id={`${formId}-${name}`} className="slds-select" value={values[name]} onChange={(event) => set(name)(event.target.value)}>
            {choices.map((value) => (
              <option key={value} value={value}>
                {option(value)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {errors[name] ? <div className="slds-form-element__help">{errors[name]}</div> : null}
    </div>
  );

  return (
    <Modal
      title={t("sales.billing.logPayment")}
      onClose={onClose}
      size="medium"
      footer={
        <>
          <button type="button" className="slds-button slds-button_neutral" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" form={formId} className="slds-button slds-button_brand" disabled={save.isPending}>
            {save.isPending ? t("common.saving") : t("common.save")}
          </button>
        </>
      }
    >
      <form id={formId} noValidate onSubmit={submit}>
        {formError ? (
          <div className="slds-notify slds-notify_alert slds-alert_error slds-m-bottom_small" role="alert">
            {formError}
          </div>
        ) : null}
        <div className="slds-grid slds-wrap slds-gutters_small">
          <div className="slds-col slds-size_1-of-1 slds-medium-size_1-of-2">{input("amount", t("sales.billing.amount"), "number", true)}</div>
          <div className="slds-col slds-size_1-of-1 slds-medium-size_1-of-2">{input("payment_date", t("sales.billing.date"), "date", true)}</div>
          <div className="slds-col slds-size_1-of-1 slds-medium-size_1-of-2">{select("payment_method", t("sales.billing.method"), PAYMENT_METHODS)}</div>
          <div className="slds-col slds-size_1-of-1 slds-medium-size_1-of-2">{select("status", t("sales.billing.status"), PAYMENT_STATUSES)}</div>
          <div className="slds-col slds-size_1-of-1 slds-medium-size_1-of-2">{input("transaction_id", t("sales.billing.transactionId"), "text")}</div>
          <div className="slds-col slds-size_1-of-1">{input("notes", t("sales.billing.notes"), "textarea")}</div>
          <div className="slds-col slds-size_1-of-1 slds-m-bottom_small">
            <div className="slds-checkbox">
              <input type="checkbox" id={`${formId}-retainer`} checked={retainer} onChange={(event) => setRetainer(event.target.checked)} />
              <label className="slds-checkbox__label" htmlFor={`${formId}-retainer`}>
                <span className="slds-checkbox_faux" />
                <span className="slds-form-element__label">{t("sales.billing.retainer")}</span>
              </label>
            </div>
          </div>
          {retainer ? (
            <>
              <div className="slds-col slds-size_1-of-1 slds-medium-size_1-of-2">
                {input("service_period_start", t("sales.billing.periodStart"), "date", true)}
              </div>
              <div className="slds-col slds-size_1-of-1 slds-medium-size_1-of-2">{input("service_period_end", t("sales.billing.periodEnd"), "date", true)}</div>
            </>
          ) : null}
        </div>
      </form>
    </Modal>
  );
}
