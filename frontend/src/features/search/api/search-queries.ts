import { queryOptions } from "@tanstack/react-query";
import { searchRecords, type SearchHit } from "../../../records/api/lookup-queries";

/** Keys of the header search: one entry per searched text. */
export const globalSearchKeys = {
  all: ["global-search"] as const,
  term: (term: string) => [...globalSearchKeys.all, term] as const,
};

export type SearchGroup = { object: string; hits: SearchHit[] };

/** Hits grouped by object type, in the order the server returned the types. */
export function groupHits(hits: SearchHit[]): SearchGroup[] {
  const groups: SearchGroup[] = [];
  for (const hit of hits) {
    const group = groups.find((candidate) => candidate.object === hit.object);
    if (group) group.hits.push(hit);
    else groups.push({ object: hit.object, hits: [hit] });
  }
  return groups;
}

/** GET /search over every object type, grouped by type; it searches from two characters on. */
export function globalSearchQuery(term: string) {
  return queryOptions({
    queryKey: globalSearchKeys.term(term),
    enabled: term.length >= 2,
    queryFn: ({ signal }) => searchRecords(term, [], signal),
    select: (data): SearchGroup[] => groupHits(data.results),
  });
}
