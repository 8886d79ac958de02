import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "../../lib/api-client";
import { useMetaIndex } from "../metadata/use-object-meta";
import type { ObjectMeta } from "../metadata/types";
import { recordKeys } from "./record-queries";

/** A stage of an object's path (the opportunity pipeline), as its `stages_path` serves it. */
export type Stage = { id: number; name: string; probability: number; is_closed: boolean; is_won: boolean; is_active: boolean; position: number };

export const stageKeys = {
  all: (object: string) => [...recordKeys.all(object), "stages"] as const,
};

/** The stages of an object whose metadata names a `stages_path` (none until the metadata has loaded). */
export function stagesQuery(meta: ObjectMeta | undefined) {
  const path = meta?.extra?.stages_path as string | undefined;
  return queryOptions({
    queryKey: stageKeys.all(meta?.name ?? ""),
    enabled: Boolean(path),
    queryFn: ({ signal }) => api.get<Stage[]>(path as string, undefined, signal),
    staleTime: 5 * 60_000,
  });
}

/** The stage of that name on the object's path, once the stages have loaded. */
export function useStage(object: string, name: unknown): Stage | undefined {
  const { data: metaIndex } = useMetaIndex();
  const stages = useQuery(stagesQuery(metaIndex?.byName[object]));
  return stages.data?.find((stage) => stage.name === name);
}
