import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Card, CardEmpty } from "../../components/card";
import { Table } from "../../components/table";
import { historyQuery, type HistoryEntry } from "../api/record-queries";
import { formatDateTime } from "../fields/format";
import { useMetaLabels } from "../metadata/use-object-meta";
import type { ObjectMeta } from "../metadata/types";

export type HistoryListProps = { meta: ObjectMeta; id: number };

const KNOWN_ACTIONS = new Set(["create", "update", "deactivate", "reactivate"]);

function show(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (Array.isArray(value)) return value.map(show).join(", ");
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) => `${key.replace(/_/g, " ")}: ${show(inner)}`)
      .join(", ");
  }
  return String(value);
}

/** "opportunity.line_item_add" -> "Line item add": the business action's own name. */
function actionName(name: string | undefined): string | null {
  if (!name) return null;
  const last = name.split(".").pop() ?? name;
  const words = last.replace(/[_-]/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function HistoryList({ meta, id }: HistoryListProps) {
  const { t, i18n } = useTranslation();
  const labels = useMetaLabels();
  const history = useQuery(historyQuery(meta, id));
  const entries: HistoryEntry[] = history.data ?? [];
  const fieldLabel = (name: string) => {
    const field = meta.fields.find((f) => f.name === name || f.name === `${name}_id`);
    if (field) return labels.fieldLabel(meta, field);
    return name === "tags" ? t("tags.label") : name;
  };
  const title = t("record.relatedCount", { label: t("record.history"), count: entries.length });
  return (
    <Card className="crm-related-list" icon="record" title={title}>
      {entries.length === 0 ? (
        <CardEmpty>{history.isLoading ? t("common.loading") : t("record.historyEmpty")}</CardEmpty>
      ) : (
        <Table
          scroll
          className="crm-history-table"
          columns={[
            { key: "date", label: t("record.historyDate") },
            { key: "user", label: t("record.historyUser") },
            { key: "action", label: t("record.historyAction") },
            { key: "changes", label: t("record.historyChanges") },
          ]}
        >
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td className="crm-nowrap">{formatDateTime(entry.at, i18n.language)}</td>
              <td>{entry.actor_name ?? "—"}</td>
              <td>
                {KNOWN_ACTIONS.has(entry.action)
                  ? t(`record.action_${entry.action}`)
                  : entry.name
                    ? t(`auditActions.${entry.name.replace(/\./g, "_")}`, { defaultValue: actionName(entry.name) })
                    : t("record.action_other")}
              </td>
              <td className="slds-cell-wrap">
                <ul>
                  {(entry.action === "create" ? [] : Object.entries(entry.changes ?? {})).map(([name, change]) => (
                    <li key={name}>
                      {t("record.historyChange", {
                        field: fieldLabel(name),
                        from: show(Array.isArray(change) ? change[0] : ""),
                        to: show(Array.isArray(change) ? change[1] : change),
                      })}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}
