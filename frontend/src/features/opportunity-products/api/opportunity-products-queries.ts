import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useToast } from "../../../components/toast";
import { ApiError, api, apiRequest, errorText, type Page } from "../../../lib/api-client";
import { recordKeys } from "../../../records/api/record-queries";
import type { MetaIndex, RecordData } from "../../../records/metadata/types";

export type Product = { id: number; name: string; product_code: string; standard_list_price: string; is_retainer_product: boolean };

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
  /** The line's own version: an edit or removal sends it (409 when someone changed the line first). */
  version: number;
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

/** The roles a contact may play in a deal, as the opportunity metadata lists them. */
export function contactRoles(metaIndex: MetaIndex | undefined): string[] {
  return (metaIndex?.byName.opportunity?.extra?.contact_roles as string[] | undefined) ?? [];
}

export const opportunityProductKeys = {
  catalog: (term: string) => [...recordKeys.all("product"), "catalog", term] as const,
  accountContacts: (accountId: number) => [...recordKeys.all("contact"), "by-account", accountId] as const,
};

/** Up to eight catalog products matching the typed text, by name. */
export function productCatalogQuery(term: string) {
  return queryOptions({
    queryKey: opportunityProductKeys.catalog(term),
    queryFn: ({ signal }) => api.get<Page<Product>>("products", { search: term, page_size: 8, ordering: "name" }, signal),
  });
}

/** The contacts of the opportunity's account, the people a contact role can name. */
export function accountContactsQuery(accountId: number | null | undefined) {
  return queryOptions({
    queryKey: opportunityProductKeys.accountContacts(accountId ?? 0),
    enabled: Boolean(accountId),
    queryFn: ({ signal }) => api.get<Page<RecordData>>("contacts", { account_id: accountId as number, page_size: 100, ordering: "name" }, signal),
  });
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
      void queryClient.invalidateQueries({ queryKey: recordKeys.pipeline("opportunity") });
    },
    onError: (error) => {
      if (!(error instanceof ApiError && Object.keys(error.fieldErrors).length)) {
        toast.show({ variant: "error", message: errorText(error, t("errors.generic")) });
      }
    },
  });
}
