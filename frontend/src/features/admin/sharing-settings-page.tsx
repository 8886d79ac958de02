import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { FormAlert, Select } from "../../components/form-element";
import { PageHeader } from "../../components/page-header";
import { Spinner } from "../../components/spinner";
import { Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { errorText } from "../../lib/api-client";
import { useMetaIndex, useMetaLabels } from "../../records/metadata/use-object-meta";
import { AdminGuard } from "./admin-guard";
import { SetupNav } from "./setup-nav";
import { SHARING_LEVELS, sharingDefaultsQuery, useSaveSharingDefaults, type SharingDefaults, type SharingLevel } from "./api/sharing-settings-queries";

/** Setup › Sharing: the organization-wide default of each object (Private, Public Read Only, Public Read/Write). */
export function SharingSettingsPage() {
  return (
    <AdminGuard>
      <SharingSettings />
    </AdminGuard>
  );
}

export function SharingSettings() {
  const { t } = useTranslation();
  const toast = useToast();
  const labels = useMetaLabels();
  const { data: metaIndex } = useMetaIndex();
  const defaults = useQuery(sharingDefaultsQuery());
  const save = useSaveSharingDefaults();
  const [draft, setDraft] = useState<SharingDefaults | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = `${t("sharing.settings.title")} | ${t("work.admin.setup")}`;
  }, [t]);
  useEffect(() => {
    if (defaults.data && draft === null) setDraft(defaults.data);
  }, [defaults.data, draft]);

  if (defaults.isLoading || draft === null) return <Spinner />;
  // The object's label from the metadata (translated), its key as the API names it.
  const objectLabel = (key: string) => {
    const meta = metaIndex?.byName[key.toLowerCase()];
    return meta ? labels.objectPlural(meta) : key;
  };
  const changed = Object.fromEntries(Object.entries(draft).filter(([key, value]) => defaults.data?.[key] !== value));

  const submit = async () => {
    setError(null);
    try {
      const saved = await save.mutateAsync(changed);
      setDraft(saved);
      toast.show({ variant: "success", message: t("sharing.settings.saved") });
    } catch (failure) {
      setError(errorText(failure, t("errors.generic")));
    }
  };

  return (
    <div className="crm-page">
      <PageHeader
        icon="user_role"
        meta={t("work.admin.setup")}
        title={t("sharing.settings.title")}
        metaText={t("sharing.settings.intro")}
        actions={
          <div className="slds-button-group" role="group">
            <button
              type="button"
              className="slds-button slds-button_neutral"
              disabled={save.isPending || !Object.keys(changed).length}
              onClick={() => setDraft(defaults.data ?? null)}
            >
              {t("work.admin.reset")}
            </button>
            <button
              type="button"
              className="slds-button slds-button_brand"
              disabled={save.isPending || !Object.keys(changed).length}
              onClick={() => void submit()}
            >
              {save.isPending ? t("common.saving") : t("common.save")}
            </button>
          </div>
        }
      />
      <SetupNav />
      {error ? <FormAlert snag>{error}</FormAlert> : null}
      <div className="slds-card">
        <Table
          className="crm-card-table"
          label={t("sharing.settings.title")}
          columns={[
            { key: "object", label: t("sharing.settings.object") },
            { key: "access", label: t("sharing.settings.access") },
            { key: "help", label: "", labelHidden: true },
          ]}
        >
          {Object.entries(draft).map(([key, level]) => (
            <tr key={key} className="slds-hint-parent">
              <th scope="row">
                <div className="slds-truncate">{objectLabel(key)}</div>
              </th>
              <td>
                <Select
                  className="crm-sharing-select"
                  aria-label={t("sharing.settings.changeAccess", { object: objectLabel(key) })}
                  value={level}
                  onChange={(value) => setDraft({ ...draft, [key]: value as SharingLevel })}
                  options={SHARING_LEVELS.map((option) => ({ value: option, label: t(`sharing.settings.levels.${option}`) }))}
                />
              </td>
              <td>
                <div className="slds-text-body_small slds-text-color_weak slds-cell-wrap">{t(`sharing.settings.help.${level}`)}</div>
              </td>
            </tr>
          ))}
        </Table>
      </div>
    </div>
  );
}
