import { queryOptions } from "@tanstack/react-query";
import { api } from "../../../lib/api-client";
import type { RetainerReport } from "../retainer-grid";

/** Accounts per page of the report (the API allows up to 200). */
export const REPORT_PAGE_SIZE = 50;

export const reportKeys = {
  retainerPayments: (year: number, page: number) => ["reports", "retainer-payments", year, page] as const,
};

/** One page of accounts of the 12-month retainer payments report for a year. */
export function retainerReportQuery(year: number, page: number) {
  return queryOptions({
    queryKey: reportKeys.retainerPayments(year, page),
    queryFn: ({ signal }) => api.get<RetainerReport>("reports/retainer-payments", { year, page, page_size: REPORT_PAGE_SIZE }, signal),
    // Paging keeps the current page on screen until the next one arrives; a new year starts blank.
    placeholderData: (previous) => (previous?.year === year ? previous : undefined),
  });
}
