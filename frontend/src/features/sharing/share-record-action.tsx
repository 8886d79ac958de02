import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { FormAlert, FormElement, Select } from "../../components/form-element";
import { Modal } from "../../components/modal";
import { Spinner } from "../../components/spinner";
import { Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { ApiError, errorText } from "../../lib/api-client";
import { recordTitle } from "../../records/metadata/use-object-meta";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";
import { shareUsersQuery, sharesQuery, useRemoveShare, useShareRecord, type ShareAccess } from "./api/sharing-queries";

const LEVELS: ShareAccess[] = ["Read", "Edit"];

/** "Sharing" on a record page: who the record is shared with, and sharing it with another user. */
export function ShareRecordAction({ meta, record }: RecordExtensionProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <li>
      <button type="button" className="slds-button slds-button_neutral" onClick={() => setOpen(true)}>
        {t("sharing.share.button")}
      </button>
      {open ? (
        <ShareModal
          apiPath={meta.api_path}
          object={meta.name}
          id={Number(record.id)}
          name={recordTitle(meta, record)}
          ownerId={Number(record.owner_id)}
          onClose={() => setOpen(false)}
        />
      ) : null}
    </li>
  );
}

export type ShareModalProps = { apiPath: string; object: string; id: number; name: string; ownerId: number; onClose: () => void };

export function ShareModal({ apiPath, object, id, name, ownerId, onClose }: ShareModalProps) {
  const { t } = useTranslation();
  const toast = useToast();
  const formId = useId();
  const shares = useQuery(sharesQuery(object, apiPath, id));
  const users = useQuery(shareUsersQuery());
  const share = useShareRecord(object, apiPath, id);
  const remove = useRemoveShare(object, apiPath, id);
  const [userId, setUserId] = useState("");
  const [access, setAccess] = useState<ShareAccess>("Read");
  const [error, setError] = useState<string | null>(null);
  const levelLabel = (level: ShareAccess) => t(`sharing.share.levels.${level}`);
  const forbidden = shares.error instanceof ApiError && shares.error.status === 403;
  const sharedWith = new Set((shares.data ?? []).map((row) => row.user_id));
  const candidates = (users.data?.results ?? []).filter((user) => user.id !== ownerId && !sharedWith.has(user.id));

  const submit = async () => {
    if (!userId) {
      setError(t("sharing.share.pickUser"));
      return;
    }
    setError(null);
    try {
      const saved = await share.mutateAsync({ user_id: Number(userId), access });
      toast.show({ variant: "success", message: t("sharing.share.added", { name: saved.user_name }) });
      setUserId("");
      void shares.refetch();
    } catch (failure) {
      setError(errorText(failure, t("errors.generic")));
    }
  };

  return (
    <Modal
      title={t("sharing.share.title", { name })}
      onClose={onClose}
      size="medium"
      footer={
        <button type="button" className="slds-button slds-button_neutral" onClick={onClose}>
          {t("common.close")}
        </button>
      }
    >
      {shares.isLoading ? <Spinner /> : null}
      {forbidden ? <FormAlert>{t("sharing.share.forbidden")}</FormAlert> : null}
      {shares.data ? (
        <>
          {error ? <FormAlert snag>{error}</FormAlert> : null}
          <div className="slds-grid slds-gutters_x-small slds-grid_vertical-align-end slds-m-bottom_medium">
            <div className="slds-col slds-grow">
              <FormElement id={`${formId}-user`} label={t("sharing.share.user")}>
                {({ aria }) => (
                  <Select
                    {...aria}
                    value={userId}
                    placeholder={t("sharing.share.pickUser")}
                    onChange={setUserId}
                    options={candidates.map((user) => ({ value: String(user.id), label: `${user.name} (${user.email})` }))}
                  />
                )}
              </FormElement>
            </div>
            <div className="slds-col">
              <FormElement id={`${formId}-access`} label={t("sharing.share.access")}>
                {({ aria }) => (
                  <Select
                    {...aria}
                    value={access}
                    onChange={(value) => setAccess(value as ShareAccess)}
                    options={LEVELS.map((level) => ({ value: level, label: levelLabel(level) }))}
                  />
                )}
              </FormElement>
            </div>
            <div className="slds-col slds-no-flex">
              <button type="button" className="slds-button slds-button_brand" disabled={share.isPending} onClick={() => void submit()}>
                {t("sharing.share.add")}
              </button>
            </div>
          </div>
          {shares.data.length ? (
            <Table
              label={t("sharing.share.button")}
              columns={[
                { key: "user", label: t("sharing.share.user") },
                { key: "access", label: t("sharing.share.access") },
                { key: "actions", label: t("common.actions"), labelHidden: true },
              ]}
            >
              {shares.data.map((row) => (
                <tr key={row.id}>
                  <th scope="row">
                    <div className="slds-truncate">{row.user_name}</div>
                    <div className="slds-text-body_small slds-text-color_weak slds-truncate">{row.user_email}</div>
                  </th>
                  <td>{levelLabel(row.access)}</td>
                  <td className="slds-text-align_right">
                    <button
                      type="button"
                      className="slds-button slds-button_text-destructive"
                      disabled={remove.isPending}
                      onClick={async () => {
                        try {
                          await remove.mutateAsync(row.id);
                          toast.show({ variant: "success", message: t("sharing.share.removed", { name: row.user_name }) });
                          void shares.refetch();
                        } catch (failure) {
                          setError(errorText(failure, t("errors.generic")));
                        }
                      }}
                    >
                      {t("sharing.share.remove")}
                      <span className="slds-assistive-text"> {t("sharing.share.removeUser", { name: row.user_name })}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </Table>
          ) : (
            <p className="slds-text-color_weak">{t("sharing.share.empty")}</p>
          )}
        </>
      ) : null}
    </Modal>
  );
}
