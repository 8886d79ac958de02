import { queryOptions, type QueryKey } from "@tanstack/react-query";
import { api } from "../../../lib/api-client";
import { recordKeys } from "../../../records/api/record-queries";
import type { RecordData } from "../../../records/metadata/types";

export type PipelineCard = {
  id: number;
  name: string;
  account_id: number | null;
  account_name: string | null;
  amount: string | null;
  close_date: string | null;
  owner_name: string | null;
  version: number;
};

export type PipelineColumn = {
  name: string;
  probability: number;
  is_closed: boolean;
  is_won: boolean;
  count: number;
  amount: string;
  opportunities: PipelineCard[];
};

export const PIPELINE_PAGE_SIZE = 25;

export const pipelineKeys = {
  board: () => [...recordKeys.pipeline("opportunity"), "board"] as const,
};

/** True for the board's own query (a move updates it in place rather than refetching it). */
export function isBoardKey(key: QueryKey): boolean {
  const board = pipelineKeys.board();
  return board.every((part, index) => key[index] === part);
}

/** The first cards of every stage, with each stage's count and amount. */
export function pipelineBoardQuery() {
  return queryOptions({
    queryKey: pipelineKeys.board(),
    queryFn: ({ signal }) => api.get<{ stages: PipelineColumn[] }>("opportunities/pipeline", { limit_per_stage: PIPELINE_PAGE_SIZE }, signal),
  });
}

/** The next cards of one stage, after the `offset` already shown. */
export async function fetchStagePage(stage: string, offset: number): Promise<PipelineCard[]> {
  const page = await api.get<{ stages: PipelineColumn[] }>("opportunities/pipeline", { stage, offset, limit_per_stage: PIPELINE_PAGE_SIZE });
  return page.stages.find((item) => item.name === stage)?.opportunities ?? [];
}

export function moveOpportunity(id: number, stage: string, version: number) {
  return api.patch<RecordData>(`opportunities/${id}`, { stage, version });
}
