import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { useToast } from "../../components/toast";
import { ApiError, api } from "../../lib/api-client";
import type { RecordData } from "../metadata/types";
import { recordKeys } from "./record-queries";

type ActionInput = { path: string; body?: unknown };
type ActionOptions = {
  /** Where to go with the record the action answers, e.g. the new order. */
  target?: (record: RecordData) => string;
  success: (record: RecordData) => string;
  /** Objects whose queries refetch afterwards (their records, lists and embedded rows). */
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
      for (const object of invalidate) void queryClient.invalidateQueries({ queryKey: recordKeys.all(object) });
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
