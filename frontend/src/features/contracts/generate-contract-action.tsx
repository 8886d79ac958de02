import { useTranslation } from "react-i18next";
import { HeaderAction } from "../../components/header-action";
import { useStage } from "../../records/api/stage-queries";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";
import { contractTermPaths } from "./api/contract-actions";
import { ContractTermModal } from "./contract-term-modal";

/** "Generate Contract" on a won opportunity: asks the term and billing cycle, then opens the contract. */
export function GenerateContractAction({ record, canWrite }: RecordExtensionProps) {
  const { t } = useTranslation();
  const won = Boolean(useStage("opportunity", record.stage)?.is_won);
  if (!canWrite || !won) return null;
  return (
    <HeaderAction
      label={t("sales.generate.contract")}
      dialog={(close) => (
        <ContractTermModal
          title={t("sales.generate.contract")}
          body={t("sales.generate.contractBody")}
          path={contractTermPaths.generate(record.id)}
          onClose={close}
        />
      )}
    />
  );
}
