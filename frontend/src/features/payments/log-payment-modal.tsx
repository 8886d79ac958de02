import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Checkbox, FormAlert, FormElement, ModalFooter, Select } from "../../components/form-element";
import { Modal } from "../../components/modal";
import { useToast } from "../../components/toast";
import { useCurrency } from "../../lib/session";
import { useFieldErrors } from "../../lib/use-field-errors";
import { formatCurrency, isoDate } from "../../records/fields/format";
import { useMetaIndex, useMetaLabels } from "../../records/metadata/use-object-meta";
import { DEFAULT_PAYMENT_METHOD, loggableStatuses, paymentMethods, useLogPayment, type PaymentRow } from "./api/payment-queries";

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

/** The form holds every field of a payment as text. */
type Values = Record<Exclude<keyof PaymentRow, "id" | "version">, string>;

/** Log Payment: amount, date, method, status, transaction id, notes; a retainer payment also gives its service period. */
export function LogPaymentModal({ parentPath, parentId, defaultAmount, retainer: retainerDefault = false, onClose }: LogPaymentModalProps) {
  const { t, i18n } = useTranslation();
  const labels = useMetaLabels();
  const currency = useCurrency();
  const toast = useToast();
  const formId = useId();
  const { data: metaIndex } = useMetaIndex();
  const methods = paymentMethods(metaIndex);
  const statuses = loggableStatuses(metaIndex);
  const [retainer, setRetainer] = useState(retainerDefault);
  // An order takes money up to its balance; more only when the user keeps the excess as a credit.
  const [overpayment, setOverpayment] = useState(false);
  const [values, setValues] = useState<Values>({
    amount: defaultAmount && Number(defaultAmount) > 0 ? defaultAmount : "",
    payment_date: isoDate(new Date()),
    payment_method: "",
    status: "",
    transaction_id: "",
    notes: "",
    service_period_start: "",
    service_period_end: "",
  });
  // Until the user picks one: the usual method if the metadata offers it, and the first status.
  const method = values.payment_method || (methods.includes(DEFAULT_PAYMENT_METHOD) ? DEFAULT_PAYMENT_METHOD : (methods[0] ?? ""));
  const status = values.status || (statuses[0] ?? "");
  const { errors, formError, validate, showError } = useFieldErrors();
  const set = (name: keyof Values) => (value: string) => setValues((current) => ({ ...current, [name]: value }));

  const save = useLogPayment({ path: parentPath, id: parentId }, (payment) => {
    toast.show({ variant: "success", message: t("sales.billing.logged", { amount: formatCurrency(payment.amount, i18n.language, currency) }) });
    onClose();
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const periodEnd = !values.service_period_end
      ? t("form.requiredError")
      : values.service_period_start && values.service_period_end < values.service_period_start
        ? t("sales.billing.periodOrder")
        : undefined;
    const ok = validate({
      amount: Number(values.amount) > 0 ? undefined : t("sales.products.positive"),
      payment_date: values.payment_date ? undefined : t("form.requiredError"),
      service_period_start: retainer && !values.service_period_start ? t("form.requiredError") : undefined,
      service_period_end: retainer ? periodEnd : undefined,
    });
    if (!ok) return;
    const { service_period_start, service_period_end, ...rest } = { ...values, payment_method: method, status };
    const body: Record<string, unknown> = retainer ? { ...rest, service_period_start, service_period_end } : { ...rest };
    if (overpayment) body.is_overpayment = true;
    save.mutate(body, { onError: showError });
  };

  const input = (name: keyof Values, label: string, type: string, required = false) => (
    <FormElement id={`${formId}-${name}`} label={label} required={required} errors={errors[name]} className="slds-m-bottom_small">
      {({ aria }) =>
        type === "textarea" ? (
          <textarea {...aria} className="slds-textarea" value={values[name]} onChange={(event) => set(name)(event.target.value)} />
        ) : (
          <input
            {...aria}
            className="slds-input"
            type={type}
            step={type === "number" ? "0.01" : undefined}
            min={type === "number" ? "0.01" : undefined}
            value={values[name]}
            required={required}
            onChange={(event) => set(name)(event.target.value)}
          />
        )
      }
    </FormElement>
  );

  const select = (name: "payment_method" | "status", label: string, value: string, choices: readonly string[]) => (
    <FormElement id={`${formId}-${name}`} label={label} errors={errors[name]} className="slds-m-bottom_small">
      {({ aria }) => (
        <Select {...aria} value={value} onChange={set(name)} options={choices.map((choice) => ({ value: choice, label: labels.option(choice) }))} />
      )}
    </FormElement>
  );

  return (
    <Modal
      title={t("sales.billing.logPayment")}
      onClose={onClose}
      size="medium"
      footer={<ModalFooter onCancel={onClose} form={formId} busy={save.isPending} />}
    >
      <form id={formId} noValidate onSubmit={submit}>
        {formError ? <FormAlert spacing="small">{formError}</FormAlert> : null}
        <div className="slds-grid slds-wrap slds-gutters_small">
          <div className="slds-col slds-size_1-of-1 slds-medium-size_1-of-2">{input("amount", t("sales.billing.amount"), "number", true)}</div>
          <div className="slds-col slds-size_1-of-1 slds-medium-size_1-of-2">{input("payment_date", t("sales.billing.date"), "date", true)}</div>
          <div className="slds-col slds-size_1-of-1 slds-medium-size_1-of-2">{select("payment_method", t("sales.billing.method"), method, methods)}</div>
          <div className="slds-col slds-size_1-of-1 slds-medium-size_1-of-2">{select("status", t("sales.billing.status"), status, statuses)}</div>
          <div className="slds-col slds-size_1-of-1 slds-medium-size_1-of-2">{input("transaction_id", t("sales.billing.transactionId"), "text")}</div>
          <div className="slds-col slds-size_1-of-1">{input("notes", t("sales.billing.notes"), "textarea")}</div>
          <div className="slds-col slds-size_1-of-1 slds-m-bottom_small">
            <Checkbox id={`${formId}-retainer`} label={t("sales.billing.retainer")} checked={retainer} onChange={setRetainer} />
          </div>
          {parentPath === "orders" ? (
            <div className="slds-col slds-size_1-of-1 slds-m-bottom_small">
              <Checkbox id={`${formId}-overpayment`} label={t("sales.billing.overpayment")} checked={overpayment} onChange={setOverpayment} />
            </div>
          ) : null}
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
