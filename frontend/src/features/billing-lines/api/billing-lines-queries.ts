import { queryOptions } from "@tanstack/react-query";
import type { components } from "../../../lib/api-types";
import { recordQuery } from "../../../records/api/record-queries";
import type { ObjectMeta } from "../../../records/metadata/types";

type Schemas = components["schemas"];
/** A line of an order (frozen price and total) or of a contract (price per billing cycle), as the API sends it. */
export type OrderLine = Schemas["OrderLine"];
export type ContractLine = Schemas["ContractLine"];
export type BillingLines = { kind: "order"; lines: OrderLine[] } | { kind: "contract"; lines: ContractLine[] };

/** The lines come with the order's or contract's detail: the same query (and key), narrowed to them. */
export const billingLineKeys = {
  lines: (meta: ObjectMeta, id: number) => recordQuery(meta, id).queryKey,
};

export function billingLinesQuery(meta: ObjectMeta, id: number) {
  return queryOptions({
    ...recordQuery(meta, id),
    select: (record): BillingLines =>
      meta.name === "contract"
        ? { kind: "contract", lines: (record.line_items as ContractLine[] | undefined) ?? [] }
        : { kind: "order", lines: (record.line_items as OrderLine[] | undefined) ?? [] },
  });
}
