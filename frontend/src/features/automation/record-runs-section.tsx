import { useTranslation } from "react-i18next";
import { useSession } from "../../lib/session";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";
import { RunHistory } from "./run-history";

/** The workflow runs on this record, for administrators. */
export function RecordRunsSection({ meta, record }: RecordExtensionProps) {
  const { t } = useTranslation();
  const { data: user } = useSession();
  if (!user?.is_admin) return null;
  return <RunHistory filters={{ object: meta.name, record_id: record.id }} title={t("automation.workflows.recordRuns")} compact />;
}
