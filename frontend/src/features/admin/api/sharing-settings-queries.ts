import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client";

export type SharingLevel = "Private" | "PublicReadOnly" | "PublicReadWrite";
export type SharingDefaults = Record<string, SharingLevel>;

export const SHARING_LEVELS: SharingLevel[] = ["Private", "PublicReadOnly", "PublicReadWrite"];

export const sharingSettingsKeys = { defaults: () => ["admin", "sharing"] as const };

/** Every object's organization-wide default, by object (e.g. "Opportunity"). */
export function sharingDefaultsQuery() {
  return queryOptions({
    queryKey: sharingSettingsKeys.defaults(),
    queryFn: ({ signal }) => api.get<SharingDefaults>("organization/sharing", undefined, signal),
  });
}

/** Save the changed defaults; the answer is every object's default. */
export function useSaveSharingDefaults() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: SharingDefaults) => api.put<SharingDefaults>("organization/sharing", changes),
    onSuccess: (saved) => {
      queryClient.setQueryData(sharingSettingsKeys.defaults(), saved);
      // Lists and records may show other rows now.
      void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== "admin" && query.queryKey[0] !== "session" });
    },
  });
}
