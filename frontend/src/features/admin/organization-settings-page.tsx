import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { Checkbox, FormAlert, FormElement, Select } from "../../components/form-element";
import { PageHeader } from "../../components/page-header";
import { Spinner } from "../../components/spinner";
import { useToast } from "../../components/toast";
import { ApiError, api, apiUpload, errorText } from "../../lib/api-client";
import { LANGUAGES } from "../../lib/i18n";
import { useFieldErrors } from "../../lib/use-field-errors";
import { AdminGuard } from "./admin-guard";
import { SetupNav } from "./setup-nav";
import { adminKeys, organizationQuery, useSaveOrganization, type OrganizationSettings } from "./api/admin-queries";

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
    const { id: _id, logo_url: _logo, ...fields } = draft;
    save.mutate(
      { ...fields, name: draft.name.trim() },
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
          <ProfileFields formId={formId} draft={draft} errors={errors} onChange={setDraft} />
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
      <LogoCard organization={draft} onSaved={setDraft} />
    </div>
  );
}

type TextField = "legal_name" | "street" | "city" | "postal_code" | "country" | "vat_number" | "registration_number" | "iban" | "bic" | "currency";
const TEXT_FIELDS: { name: TextField; label: string; maxLength: number }[] = [
  { name: "legal_name", label: "legalName", maxLength: 200 },
  { name: "vat_number", label: "vatNumber", maxLength: 20 },
  { name: "registration_number", label: "registrationNumber", maxLength: 40 },
  { name: "street", label: "street", maxLength: 255 },
  { name: "city", label: "city", maxLength: 100 },
  { name: "postal_code", label: "postalCode", maxLength: 20 },
  { name: "country", label: "country", maxLength: 2 },
  { name: "iban", label: "iban", maxLength: 42 },
  { name: "bic", label: "bic", maxLength: 11 },
  { name: "currency", label: "currency", maxLength: 3 },
];

function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf ? intl.supportedValuesOf("timeZone") : [];
}

/** The company profile printed on documents: each field shows the server's message under it. */
function ProfileFields({
  formId,
  draft,
  errors,
  onChange,
}: {
  formId: string;
  draft: OrganizationSettings;
  errors: Record<string, string[]>;
  onChange: (next: OrganizationSettings) => void;
}) {
  const { t, i18n } = useTranslation();
  const months = Array.from({ length: 12 }, (_, index) => ({
    value: String(index + 1),
    label: new Date(2024, index, 1).toLocaleString(i18n.language, { month: "long" }),
  }));
  return (
    <fieldset className="slds-form-element slds-m-bottom_medium">
      <legend className="slds-form-element__legend slds-form-element__label">{t("team.settings.profile")}</legend>
      <div className="slds-grid slds-wrap slds-gutters_small">
        {TEXT_FIELDS.map((field) => (
          <FormElement
            key={field.name}
            id={`${formId}-${field.name}`}
            label={t(`team.settings.${field.label}`)}
            errors={errors[field.name]}
            className="slds-col slds-size_1-of-1 slds-medium-size_1-of-2 slds-m-bottom_small"
          >
            {({ aria }) => (
              <input
                {...aria}
                className="slds-input"
                value={draft[field.name] ?? ""}
                maxLength={field.maxLength}
                onChange={(event) => onChange({ ...draft, [field.name]: event.target.value })}
              />
            )}
          </FormElement>
        ))}
        <FormElement
          id={`${formId}-default_language`}
          label={t("team.settings.defaultLanguage")}
          errors={errors.default_language}
          className="slds-col slds-size_1-of-1 slds-medium-size_1-of-2 slds-m-bottom_small"
        >
          {({ aria }) => (
            <Select
              {...aria}
              value={draft.default_language ?? "en"}
              onChange={(value) => onChange({ ...draft, default_language: value })}
              options={LANGUAGES.map((language) => ({ value: language, label: t(`languages.${language}`) }))}
            />
          )}
        </FormElement>
        <FormElement
          id={`${formId}-time_zone`}
          label={t("team.settings.timeZone")}
          errors={errors.time_zone}
          className="slds-col slds-size_1-of-1 slds-medium-size_1-of-2 slds-m-bottom_small"
        >
          {({ aria }) => (
            <>
              <input
                {...aria}
                className="slds-input"
                list={`${formId}-zones`}
                value={draft.time_zone ?? ""}
                onChange={(event) => onChange({ ...draft, time_zone: event.target.value })}
              />
              <datalist id={`${formId}-zones`}>
                {timeZones().map((zone) => (
                  <option key={zone} value={zone} />
                ))}
              </datalist>
            </>
          )}
        </FormElement>
        <FormElement
          id={`${formId}-fiscal`}
          label={t("team.settings.fiscalYearStart")}
          errors={errors.fiscal_year_start_month}
          className="slds-col slds-size_1-of-1 slds-medium-size_1-of-2 slds-m-bottom_small"
        >
          {({ aria }) => (
            <Select
              {...aria}
              value={String(draft.fiscal_year_start_month ?? 1)}
              onChange={(value) => onChange({ ...draft, fiscal_year_start_month: Number(value) })}
              options={months}
            />
          )}
        </FormElement>
      </div>
    </fieldset>
  );
}

/** The logo: shown from the API (members only), replaced by an upload, removed. */
function LogoCard({ organization, onSaved }: { organization: OrganizationSettings; onSaved: (next: OrganizationSettings) => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const done = (saved: OrganizationSettings) => {
    queryClient.setQueryData(adminKeys.organization(), saved);
    onSaved(saved);
    setError(null);
    toast.show({ variant: "success", message: t("team.settings.logoSaved") });
  };
  const upload = async (file: File) => {
    const form = new FormData();
    form.append("logo", file);
    setBusy(true);
    try {
      done(await apiUpload<OrganizationSettings>("organization/logo", form));
    } catch (caught) {
      setError(errorText(caught, t("errors.generic")));
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    setBusy(true);
    try {
      done(await api.delete<OrganizationSettings>("organization/logo"));
    } catch (caught) {
      setError(errorText(caught, t("errors.generic")));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t("team.settings.logo")} icon="photo" inner>
      {error ? <FormAlert spacing="small">{error}</FormAlert> : null}
      <div className="slds-media slds-media_center">
        <div className="slds-media__figure">
          {organization.logo_url ? (
            <img src={organization.logo_url} alt={t("team.settings.logoAlt")} className="crm-org-logo" />
          ) : (
            <span className="slds-text-color_weak">{t("team.settings.noLogo")}</span>
          )}
        </div>
        <div className="slds-media__body">
          <div className="slds-file-selector slds-file-selector_files">
            <input
              type="file"
              className="slds-file-selector__input slds-assistive-text"
              accept="image/png,image/jpeg,image/gif,image/webp"
              id="organization-logo"
              disabled={busy}
              onChange={(event) => {
                const file = event.target.files?.[0];
                if (file) void upload(file);
                event.target.value = "";
              }}
            />
            <label className="slds-file-selector__body" htmlFor="organization-logo">
              <span className="slds-file-selector__button slds-button slds-button_neutral">{t("team.settings.uploadLogo")}</span>
            </label>
          </div>
          {organization.logo_url ? (
            <button type="button" className="slds-button slds-button_text-destructive slds-m-left_small" disabled={busy} onClick={() => void remove()}>
              {t("team.settings.removeLogo")}
            </button>
          ) : null}
          <div className="slds-form-element__help">{t("team.settings.logoHelp")}</div>
        </div>
      </div>
    </Card>
  );
}
