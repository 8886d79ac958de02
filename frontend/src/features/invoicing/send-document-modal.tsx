import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { FormElement, ModalFooter } from "../../components/form-element";
import { Modal } from "../../components/modal";
import { api } from "../../lib/api-client";
import { useFieldErrors } from "../../lib/use-field-errors";
import { useRecordAction } from "../../records/api/use-record-action";

type SendDefaults = { to: string; cc: string[]; subject: string; message: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function splitAddresses(value: string): string[] {
  return value
    .split(/[,;\s]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

type Props = { apiPath: string; object: string; recordId: number; version: number; number: string; onClose: () => void };

/** Send: recipient (the contact's address by default), cc, subject and message, then the PDF goes by mail. */
export function SendDocumentModal({ apiPath, object, recordId, version, number, onClose }: Props) {
  const { t } = useTranslation();
  const formId = useId();
  const defaults = useQuery({
    queryKey: [object, "send-defaults", recordId],
    queryFn: () => api.get<SendDefaults>(`${apiPath}/${recordId}/send`),
  });
  const [to, setTo] = useState("");
  const [cc, setCc] = useState("");
  const [subject, setSubject] = useState("");
  const [message, setMessage] = useState("");
  const [key] = useState(() => `${object}-${recordId}-${version}-${Date.now()}`);
  useEffect(() => {
    if (!defaults.data) return;
    setTo(defaults.data.to);
    setSubject(defaults.data.subject);
    setMessage(defaults.data.message);
  }, [defaults.data]);
  const { errors, validate, showError, clear } = useFieldErrors();
  const action = useRecordAction({
    success: (answer) => t("sales.invoicing.sent", { number, to: String(answer.to ?? "") }),
    invalidate: [object, "activity"],
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const copies = splitAddresses(cc);
    const ok = validate({
      to: !to.trim() ? t("sales.invoicing.recipientRequired") : EMAIL.test(to.trim()) ? undefined : t("sales.invoicing.invalidEmail"),
      cc: copies.every((address) => EMAIL.test(address)) ? undefined : t("sales.invoicing.invalidCc"),
      subject: subject.trim() ? undefined : t("sales.invoicing.subjectRequired"),
    });
    if (!ok) return;
    try {
      await action.mutateAsync({
        path: `${apiPath}/${recordId}/send`,
        body: { to: to.trim(), cc: copies, subject: subject.trim(), message, idempotency_key: key },
      });
      onClose();
    } catch (error) {
      showError(error);
    }
  };

  const ccErrors = errors.cc ?? Object.entries(errors).find(([name]) => name.startsWith("cc."))?.[1];
  return (
    <Modal
      title={t("sales.invoicing.sendTitle", { number })}
      onClose={onClose}
      size="medium"
      footer={<ModalFooter onCancel={onClose} form={formId} busy={action.isPending} label={t("sales.invoicing.send")} />}
    >
      <form id={formId} noValidate onSubmit={submit}>
        <FormElement id={`${formId}-to`} label={t("sales.invoicing.to")} required errors={errors.to}>
          {({ aria }) => <input {...aria} className="slds-input" type="email" value={to} onChange={(event) => setTo(event.target.value)} />}
        </FormElement>
        <FormElement id={`${formId}-cc`} label={t("sales.invoicing.cc")} help={t("sales.invoicing.ccHelp")} errors={ccErrors} className="slds-m-top_small">
          {({ aria }) => (
            <input
              {...aria}
              className="slds-input"
              value={cc}
              onChange={(event) => {
                setCc(event.target.value);
                if (ccErrors) clear();
              }}
            />
          )}
        </FormElement>
        <FormElement id={`${formId}-subject`} label={t("sales.invoicing.subject")} required errors={errors.subject} className="slds-m-top_small">
          {({ aria }) => <input {...aria} className="slds-input" maxLength={255} value={subject} onChange={(event) => setSubject(event.target.value)} />}
        </FormElement>
        <FormElement id={`${formId}-message`} label={t("sales.invoicing.message")} errors={errors.message} className="slds-m-top_small">
          {({ aria }) => (
            <textarea {...aria} className="slds-textarea" rows={5} maxLength={5000} value={message} onChange={(event) => setMessage(event.target.value)} />
          )}
        </FormElement>
      </form>
    </Modal>
  );
}
