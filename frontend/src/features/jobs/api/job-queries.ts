import { keepPreviousData, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, type Page } from "../../../lib/api-client";
import type { components } from "../../../lib/api-types";

export type Job = components["schemas"]["Job"];
export type JobState = components["schemas"]["JobStateEnum"];
export const JOB_STATES: readonly JobState[] = ["queued", "running", "succeeded", "failed"];
export const JOBS_PAGE_SIZE = 25;

export const jobKeys = {
  all: () => ["jobs"] as const,
  list: (state: string, page: number) => ["jobs", "list", state, page] as const,
};

/** One page of the organization's jobs, newest first, optionally of one state; refreshed while jobs run. */
export function jobsQuery(state: string, page: number) {
  return queryOptions({
    queryKey: jobKeys.list(state, page),
    queryFn: ({ signal }) => api.get<Page<Job>>("jobs", { state: state || undefined, page, page_size: JOBS_PAGE_SIZE }, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.results.some((job) => job.state === "queued" || job.state === "running") ? 3000 : false),
  });
}

/** Queue a failed job again (409 job_not_failed when it is no longer failed). */
export function useRetryJob() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (job: Job) => api.post<Job>(`jobs/${job.id}/retry`),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: jobKeys.all() }),
  });
}
