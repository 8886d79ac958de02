import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, apiUpload, buildUrl } from "../../../lib/api-client";
import type { components } from "../../../lib/api-types";

type Schemas = components["schemas"];

export type ImportField = Schemas["ImportField"];
export type ImportPreview = Schemas["ImportPreview"];
export type ImportRowError = Schemas["ImportError"];
export type ImportMode = Schemas["ImportModeEnum"];
export type ImportCommit = Schemas["ImportCommitEnum"];
export type ImportStatus = Schemas["ImportStatusEnum"];
export type DataImport = Schemas["Import"];
/** What an undo did: counts, and the records left as they were (edited since, gone, read-only). */
export type RevertReport = { removed?: number; restored?: number; skipped?: { record_id: number; action: string; reason: string }[] };
export type Changeset = Omit<Schemas["Changeset"], "revert_report"> & { revert_report: RevertReport };

export const importKeys = {
  all: ["imports"] as const,
  detail: (id: number) => ["imports", id] as const,
};

const FINISHED: ImportStatus[] = ["succeeded", "failed", "reverted"];

export const importFinished = (record: DataImport | undefined) => Boolean(record && FINISHED.includes(record.status));

/** One import; read again every second while its job runs (the progress bar). */
export const importQuery = (id: number) =>
  queryOptions({
    queryKey: importKeys.detail(id),
    queryFn: ({ signal }) => api.get<DataImport>(`imports/${id}`, undefined, signal),
    refetchInterval: (query) => (importFinished(query.state.data) ? false : 1000),
  });

export const previewImport = (form: FormData) => apiUpload<ImportPreview>("imports/preview", form);

export const startImport = (form: FormData) => apiUpload<DataImport>("imports", form);

export const errorReportUrl = (id: number) => buildUrl(`imports/${id}/error-report`);

/** Undo an import; the object's lists and records are read again afterwards. */
export function useUndoImport(objectName: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.post<Changeset>(`imports/${id}/undo`),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: importKeys.all });
      void queryClient.invalidateQueries({ queryKey: [objectName] });
    },
  });
}
