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
  const { saved, failed } = useSaveOutcome(meta);
  return useMutation({
    mutationFn: ({ id, version, changes }: UpdateInput) => api.patch<RecordData>(`${meta.api_path}/${id}`, { ...changes, version }),
    onSuccess: saved,
    // Field errors show under their fields; the form says so.
    onError: (error, variables) => failed(error, variables.id, { quietOnFieldErrors: true }),
  });
}

export function useDeactivateRecord(meta: ObjectMeta) {
  const { saved, failed } = useSaveOutcome(meta);
  return useMutation({
    mutationFn: ({ id, version }: { id: number; version: number }) => api.put<RecordData>(`${meta.api_path}/${id}`, { is_active: false, version }),
    onSuccess: saved,
    onError: (error, variables) => failed(error, variables.id, { quietOnFieldErrors: false }),
  });
}

/** What every save of a record does after the server answers: cache the saved record, or handle the conflict or error. */
function useSaveOutcome(meta: ObjectMeta) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const { t } = useTranslation();
  return {
    saved: (record: RecordData) => {
      queryClient.setQueryData(recordKeys.detail(meta.name, record.id), record);
      void queryClient.invalidateQueries({ queryKey: recordKeys.all(meta.name) });
    },
    failed: (error: Error, id: number, { quietOnFieldErrors }: { quietOnFieldErrors: boolean }) => {
      if (error instanceof ApiError && error.isConflict) {
        toast.show({ variant: "error", message: t("errors.conflict") });
        void queryClient.invalidateQueries({ queryKey: recordKeys.detail(meta.name, id) });
        return;
      }
      if (quietOnFieldErrors && error instanceof ApiError && Object.keys(error.fieldErrors).length) return;
      toast.show({ variant: "error", message: error instanceof ApiError ? error.message : t("errors.generic") });
    },
  };
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
