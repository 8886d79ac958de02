import { useTranslation } from "react-i18next";
import { HeaderAction } from "../../components/header-action";
import { nextDay } from "../../records/fields/format";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";
import { contractTermPaths } from "./api/contract-actions";
import { ContractTermModal } from "./contract-term-modal";

/** Contracts ended for good: they are not renewed. */
const CONTRACT_ENDED_STATUSES: ReadonlySet<string> = new Set(["Cancelled", "Terminated"]);

/** "Renew" on a contract: the next term as a new contract. */
export function RenewContractAction({ record, canWrite }: RecordExtensionProps) {
  const { t } = useTranslation();
  if (!canWrite || CONTRACT_ENDED_STATUSES.has(String(record.status))) return null;
  return (
    <HeaderAction
      label={t("sales.contract.renew")}
      dialog={(close) => (
        <ContractTermModal
          title={t("sales.contract.renewTitle")}
          body={t("sales.contract.renewBody")}
          path={contractTermPaths.renew(record.id)}
          initialStart={typeof record.end_date === "string" ? nextDay(record.end_date) : undefined}
          successKey="sales.contract.renewed"
          onClose={close}
        />
      )}
    />
  );
}
