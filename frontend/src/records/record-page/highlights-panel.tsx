import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { PageHeader } from "../../components/page-header";
import { FieldValue } from "../fields/field-renderers";
import { findField, recordTitle, useMetaLabels } from "../metadata/use-object-meta";
import type { ObjectMeta, RecordData } from "../metadata/types";

export type HighlightsPanelProps = {
  meta: ObjectMeta;
  record: RecordData;
  canWrite: boolean;
  /** Edit is offered: writable and not locked by the record's status. */
  canEdit?: boolean;
  onEdit: () => void;
  onDeactivate: () => void;
  /** Object-specific buttons (e.g. Convert, Generate Order), shown after Edit. */
  actions?: ReactNode;
};

export function HighlightsPanel({ meta, record, canWrite, canEdit = canWrite, onEdit, onDeactivate, actions }: HighlightsPanelProps) {
  const { t } = useTranslation();
  const labels = useMetaLabels();
  const title = recordTitle(meta, record);
  const inactive = record.is_active === false;
  return (
    <PageHeader
      variant="record-home"
      icon={meta.icon}
      iconSize="large"
      iconTitle={labels.objectLabel(meta)}
      meta={labels.objectLabel(meta)}
      titleText={title}
      title={
        <>
          {title}
          {inactive ? <span className="slds-badge slds-m-left_small">{t("record.inactive")}</span> : null}
        </>
      }
      actions={
        canWrite ? (
          <div className="slds-page-header__controls">
            <div className="slds-page-header__control">
              <ul className="slds-button-group-list">
                {canEdit ? (
                  <li>
                    <button type="button" className="slds-button slds-button_neutral" onClick={onEdit}>
                      {t("common.edit")}
                    </button>
                  </li>
                ) : null}
                {actions}
                {meta.can_deactivate && !inactive ? (
                  <li>
                    <button type="button" className="slds-button slds-button_neutral" onClick={onDeactivate}>
                      {t("common.deactivate")}
                    </button>
                  </li>
                ) : null}
              </ul>
            </div>
          </div>
        ) : null
      }
    >
      {meta.highlight_fields.length ? (
        <div className="slds-page-header__row slds-page-header__row_gutters">
          <div className="slds-page-header__col-details">
            <ul className="slds-page-header__detail-row">
              {meta.highlight_fields.map((name) => {
                const field = findField(meta, name);
                return (
                  <li key={name} className="slds-page-header__detail-block">
                    <div className="slds-text-title slds-truncate" title={labels.fieldLabel(meta, field)}>
                      {labels.fieldLabel(meta, field)}
                    </div>
                    <div className="slds-truncate">
                      <FieldValue field={field} record={record} />
                    </div>
                  </li>
                );
              })}
            </ul>
          </div>
        </div>
      ) : null}
    </PageHeader>
  );
}
