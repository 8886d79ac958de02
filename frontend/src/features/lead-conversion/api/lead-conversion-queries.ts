import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client";
import { recordKeys } from "../../../records/api/record-queries";
import type { RecordData } from "../../../records/metadata/types";

export type ConversionResult = {
  message: string;
  lead_id: number;
  created_records: { account: RecordData; contact: RecordData; opportunity: RecordData | null };
};

/** Objects whose records a conversion creates or changes. */
const CONVERSION_OBJECTS = ["lead", "account", "contact", "opportunity"];

/** Convert a lead; every list and record of the objects it touches refetches. */
export function useConvertLead(leadId: number, onConverted: (result: ConversionResult) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<ConversionResult>(`leads/${leadId}/convert`, body),
    onSuccess: (data) => {
      for (const object of CONVERSION_OBJECTS) void queryClient.invalidateQueries({ queryKey: recordKeys.all(object) });
      onConverted(data);
    },
  });
}
