import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../lib/api-client";
import type { components } from "../../lib/api-types";
import { recordKeys } from "../api/record-queries";
import type { ObjectMeta } from "../metadata/types";

export type Tag = components["schemas"]["Tag"];
export type TagRef = components["schemas"]["TagRef"];

export const tagKeys = {
  all: () => ["tags"] as const,
};

/** The organization's tags by name, with their usage counts. */
export const tagsQuery = () => queryOptions({ queryKey: tagKeys.all(), queryFn: ({ signal }) => api.get<Tag[]>("tags", undefined, signal), staleTime: 30_000 });

/** Put a tag on a record (an id, or a name: a new name makes the tag); answers the record's tags. */
export function useRecordTags(meta: ObjectMeta, id: number) {
  const queryClient = useQueryClient();
  const settled = () => {
    void queryClient.invalidateQueries({ queryKey: recordKeys.detail(meta.name, id) });
    void queryClient.invalidateQueries({ queryKey: tagKeys.all() });
  };
  const add = useMutation({
    mutationFn: (tag: number | string) => api.post<TagRef[]>(`${meta.api_path}/${id}/tags`, { tag }),
    onSettled: settled,
  });
  const remove = useMutation({
    mutationFn: (tagId: number) => api.delete<TagRef[]>(`${meta.api_path}/${id}/tags/${tagId}`),
    onSettled: settled,
  });
  return { add, remove };
}

export function useSaveTag() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: { id: number; changes: { name?: string; colour?: string } }) => api.patch<Tag>(`tags/${id}`, changes),
    onSettled: () => queryClient.invalidateQueries({ queryKey: tagKeys.all() }),
  });
}

export function useDeleteTag() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete<null>(`tags/${id}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: tagKeys.all() }),
  });
}
