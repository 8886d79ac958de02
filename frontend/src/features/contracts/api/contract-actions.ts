import { useTranslation } from "react-i18next";
import { useRecordAction } from "../../../records/api/use-record-action";

/** Where a new contract term is posted: from a won opportunity, or as the renewal of a contract. */
export const contractTermPaths = {
  generate: (opportunityId: number) => `opportunities/${opportunityId}/generate-contract`,
  renew: (contractId: number) => `contracts/${contractId}/renew`,
};

export type ContractTerm = { start_date: string; end_date: string; billing_cycle: string };

/** Post a contract term, then open the new contract; field errors come back to the form. */
export function useCreateContractTerm(path: string, successKey: "sales.generate.contractCreated" | "sales.contract.renewed") {
  const { t } = useTranslation();
  const action = useRecordAction({
    target: (contract) => `/o/contract/${contract.id}`,
    success: (contract) => t(successKey, { number: String(contract.contract_number ?? "") }),
    invalidate: ["contract", "opportunity"],
  });
  return { isPending: action.isPending, run: (term: ContractTerm) => action.mutateAsync({ path, body: term }) };
}
