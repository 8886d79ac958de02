import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { useToast } from "../../components/toast";
import { ApiError, api } from "../../lib/api-client";
import type { RecordData } from "../../records/metadata/types";

type ActionInput = { path: string; body?: unknown };
type ActionOptions = {
  /** Where to go with the record the action answers, e.g. the new order. */
  target?: (record: RecordData) => string;
  success: (record: RecordData) => string;
  invalidate: string[];
};

/** POST a business action (generate, cancel, renew); toast, refetch and optionally open the record it returns. */
export function useRecordAction({ target, success, invalidate }: ActionOptions) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();
  const { t } = useTranslation();
  return useMutation({
    mutationFn: ({ path, body }: ActionInput) => api.post<RecordData>(path, body ?? {}),
    onSuccess: (record) => {
      for (const key of invalidate) void queryClient.invalidateQueries({ queryKey: [key] });
      const to = target?.(record);
      toast.show({ variant: "success", message: success(record) });
      if (to) navigate(to);
    },
    onError: (error) => {
      if (error instanceof ApiError && Object.keys(error.fieldErrors).length) return;
      toast.show({ variant: "error", message: error instanceof ApiError ? error.message : t("errors.generic") });
    },
  });
}

export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  return Object.fromEntries(Object.entries(error.fieldErrors).map(([key, value]) => [key, value.join(" ")]));
}
