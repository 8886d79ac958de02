import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, apiUpload, buildUrl } from "../../../lib/api-client";

export type ImportField = { name: string; label: string; required: boolean };
export type ImportPreview = {
  object: string;
  format: string;
  encoding: string;
  delimiter: string;
  headers: string[];
  rows: string[][];
  total_rows: number;
  fields: ImportField[];
  suggested_mapping: Record<string, string>;
  natural_keys: string[];
};
export type ImportRowError = { row: number; column: string; value: string; message: string };
export type ImportMode = "create" | "update" | "upsert";
export type ImportCommit = "all_or_nothing" | "partial";
export type ImportStatus = "queued" | "running" | "succeeded" | "failed" | "reverted";
export type DataImport = {
  id: number;
  object: string;
  file_name: string;
  mode: ImportMode;
  commit: ImportCommit;
  dry_run: boolean;
  status: ImportStatus;
  total_rows: number;
  progress: number;
  created_count: number;
  updated_count: number;
  error_count: number;
  errors: ImportRowError[];
  message: string;
  changeset: number | null;
};
export type Changeset = {
  id: number;
  revert_report: { removed?: number; restored?: number; skipped?: { record_id: number; action: string; reason: string }[] };
};

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
