import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useToast } from "../../components/toast";
import { ApiError, api } from "../../lib/api-client";
import type { ObjectMeta, RecordData } from "../metadata/types";
import { recordKeys } from "./record-queries";

export type UpdateInput = { id: number; version: number; changes: Record<string, unknown> };

/**
 * Save changes to a record with the version last read. A 409 (someone else saved first) shows the
 * conflict toast and refetches the record; this is the only place that handles version conflicts.
 */
export function useUpdateRecord(meta: ObjectMeta) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const { t } = useTranslation();
  return useMutation({
    mutationFn: ({ id, version, changes }: UpdateInput) => api.patch<RecordData>(`${meta.api_path}/${id}`, { ...changes, version }),
    onSuccess: (record) => {
      queryClient.setQueryData(recordKeys.detail(meta.name, record.id), record);
      void queryClient.invalidateQueries({ queryKey: recordKeys.all(meta.name) });
    },
    onError: (error, variables) => {
      if (error instanceof ApiError && error.isConflict) {
        toast.show({ variant: "error", message: t("errors.conflict") });
        void queryClient.invalidateQueries({ queryKey: recordKeys.detail(meta.name, variables.id) });
        return;
      }
      if (!(error instanceof ApiError && Object.keys(error.fieldErrors).length)) {
        toast.show({ variant: "error", message: error instanceof ApiError ? error.message : t("errors.generic") });
      }
    },
  });
}

export function useDeactivateRecord(meta: ObjectMeta) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const { t } = useTranslation();
  return useMutation({
    mutationFn: ({ id, version }: { id: number; version: number }) => api.put<RecordData>(`${meta.api_path}/${id}`, { is_active: false, version }),
    onSuccess: (record) => {
      queryClient.setQueryData(recordKeys.detail(meta.name, record.id), record);
      void queryClient.invalidateQueries({ queryKey: recordKeys.all(meta.name) });
    },
    onError: (error, variables) => {
      if (error instanceof ApiError && error.isConflict) {
        toast.show({ variant: "error", message: t("errors.conflict") });
        void queryClient.invalidateQueries({ queryKey: recordKeys.detail(meta.name, variables.id) });
        return;
      }
      toast.show({ variant: "error", message: error instanceof ApiError ? error.message : t("errors.generic") });
    },
  });
}

/** Create a record of the object; its lists refetch afterwards. */
export function useCreateRecord(meta: ObjectMeta) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<RecordData>(meta.api_path, body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: recordKeys.all(meta.name) });
    },
  });
}
