import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, apiRequest, type Page } from "../../../lib/api-client";
import { recordKeys } from "../../../records/api/record-queries";

export type ShareAccess = "Read" | "Edit";
export type RecordShare = { id: number; user_id: number; user_name: string; user_email: string; access: ShareAccess; created_at: string };
export type ShareUser = { id: number; name: string; email: string; role: string; is_active: boolean };

/** The objects whose records can be shared (those with an organization-wide default). */
export const SHAREABLE_OBJECTS = ["account", "contact", "lead", "opportunity", "order", "contract", "case", "activity"] as const;

export const sharingKeys = {
  shares: (object: string, id: number) => [...recordKeys.detail(object, id), "shares"] as const,
  users: () => ["sharing", "users"] as const,
};

export function sharesQuery(object: string, apiPath: string, id: number) {
  return queryOptions({
    queryKey: sharingKeys.shares(object, id),
    queryFn: ({ signal }) => api.get<RecordShare[]>(`${apiPath}/${id}/shares`, undefined, signal),
    retry: false,
  });
}

/** The organization's active users, to pick whom to share with. */
export function shareUsersQuery() {
  return queryOptions({
    queryKey: sharingKeys.users(),
    queryFn: ({ signal }) => api.get<Page<ShareUser>>("users", { page_size: 200 }, signal),
  });
}

export function useShareRecord(object: string, apiPath: string, id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { user_id: number; access: ShareAccess }) => api.post<RecordShare>(`${apiPath}/${id}/shares`, body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: recordKeys.detail(object, id) }),
  });
}

export function useRemoveShare(object: string, apiPath: string, id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (shareId: number) => apiRequest<null>("DELETE", `${apiPath}/${id}/shares/${shareId}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: recordKeys.detail(object, id) }),
  });
}
