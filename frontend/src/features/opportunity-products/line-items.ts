import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useToast } from "../../components/toast";
import { ApiError, apiRequest } from "../../lib/api-client";
import { recordKeys } from "../../records/api/record-queries";

export type LineItem = {
  id: number;
  product_id: number;
  product_name: string;
  product_code: string;
  is_retainer_product: boolean;
  quantity: string;
  sale_price: string;
  total: string;
  description: string;
};

export type ContactRole = {
  id: number;
  contact_id: number;
  contact_name: string;
  contact_title: string;
  contact_email: string;
  role: string;
  is_primary: boolean;
};

export const CONTACT_ROLES = [
  "Decision Maker",
  "Economic Buyer",
  "Technical Buyer",
  "Evaluator",
  "Influencer",
  "Executive Sponsor",
  "Business User",
  "Other",
] as const;

export function apiErrorText(error: unknown, fallback: string): string {
  if (error instanceof ApiError) {
    const details = Object.values(error.fieldErrors).flat();
    return details.length ? details.join(" ") : error.message;
  }
  return fallback;
}

type Change = { method: "POST" | "PUT" | "DELETE"; path: string; body?: unknown; success: string };

/**
 * A write to a sub-resource of an opportunity (line items, contact roles). On success the
 * opportunity is refetched so its Amount and version update at once everywhere it shows.
 */
export function useOpportunityChange(opportunityId: number) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const { t } = useTranslation();
  return useMutation({
    mutationFn: ({ method, path, body }: Change) => apiRequest<unknown>(method, `opportunities/${opportunityId}/${path}`, { body }),
    onSuccess: async (_data, change) => {
      toast.show({ variant: "success", message: change.success });
      await queryClient.invalidateQueries({ queryKey: recordKeys.detail("opportunity", opportunityId) });
      void queryClient.invalidateQueries({ queryKey: ["opportunity-pipeline"] });
    },
    onError: (error) => {
      if (!(error instanceof ApiError && Object.keys(error.fieldErrors).length)) {
        toast.show({ variant: "error", message: apiErrorText(error, t("errors.generic")) });
      }
    },
  });
}
