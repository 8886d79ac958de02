import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { Checkbox, FormAlert, FormElement } from "../../components/form-element";
import { PageHeader } from "../../components/page-header";
import { Spinner } from "../../components/spinner";
import { useToast } from "../../components/toast";
import { ApiError } from "../../lib/api-client";
import { useFieldErrors } from "../../lib/use-field-errors";
import { AdminGuard } from "./admin-guard";
import { SetupNav } from "./setup-nav";
import { organizationQuery, useSaveOrganization, type OrganizationSettings } from "./api/admin-queries";

/** Setup › Organization: the organization's name and the rules it chooses for its records. */
export function OrganizationSettingsPage() {
  return (
    <AdminGuard>
      <OrganizationSettingsForm />
    </AdminGuard>
  );
}

export function OrganizationSettingsForm() {
  const { t } = useTranslation();
  const toast = useToast();
  const formId = useId();
  const organization = useQuery(organizationQuery());
  const save = useSaveOrganization();
  const [draft, setDraft] = useState<OrganizationSettings | null>(null);
  const { errors, formError, validate, showError, clear } = useFieldErrors();

  useEffect(() => {
    document.title = `${t("work.admin.organization")} | ${t("work.admin.setup")}`;
  }, [t]);
  useEffect(() => {
    if (organization.data && draft === null) setDraft(organization.data);
  }, [organization.data, draft]);

  if (organization.isLoading || draft === null) return <Spinner />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!validate({ name: draft.name.trim() ? undefined : t("form.requiredError") })) return;
    save.mutate(
      { name: draft.name.trim(), allow_fulfill_before_payment: draft.allow_fulfill_before_payment, version: draft.version },
      {
        onSuccess: (saved) => {
          setDraft(saved);
          clear();
          toast.show({ variant: "success", message: t("work.admin.organizationSaved") });
        },
        onError: (error) => {
          if (error instanceof ApiError && error.isConflict) {
            toast.show({ variant: "error", message: t("errors.conflict") });
            void organization.refetch().then((result) => result.data && setDraft(result.data));
            return;
          }
          showError(error);
        },
      },
    );
  };

  return (
    <div className="crm-page">
      <PageHeader icon="account" meta={t("work.admin.setup")} title={t("work.admin.organization")} />
      <SetupNav />
      <Card
        title={draft.name}
        icon="account"
        footer={
          <button type="submit" form={formId} className="slds-button slds-button_brand" disabled={save.isPending}>
            {save.isPending ? t("common.saving") : t("common.save")}
          </button>
        }
        inner
      >
        <form id={formId} noValidate onSubmit={submit}>
          {formError ? <FormAlert spacing="small">{formError}</FormAlert> : null}
          <FormElement id={`${formId}-name`} label={t("work.admin.organizationName")} required errors={errors.name} className="slds-m-bottom_medium">
            {({ aria }) => (
              <input
                {...aria}
                className="slds-input"
                value={draft.name}
                maxLength={200}
                onChange={(event) => setDraft({ ...draft, name: event.target.value })}
              />
            )}
          </FormElement>
          <fieldset className="slds-form-element">
            <legend className="slds-form-element__legend slds-form-element__label">{t("work.admin.fulfilment")}</legend>
            <div className="slds-form-element__control">
              <Checkbox
                id={`${formId}-fulfil`}
                label={t("work.admin.fulfilBeforePayment")}
                checked={draft.allow_fulfill_before_payment === true}
                onChange={(checked) => setDraft({ ...draft, allow_fulfill_before_payment: checked })}
              />
            </div>
            <div className="slds-form-element__help">{t("work.admin.fulfilBeforePaymentHelp")}</div>
          </fieldset>
        </form>
      </Card>
    </div>
  );
}
