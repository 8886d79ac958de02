/** Order statuses after which an order can no longer be cancelled or moved on its path by hand. */
export const ORDER_CLOSED_STATUSES: ReadonlySet<string> = new Set(["Fulfilled", "Cancelled"]);

/** The one status an open order may be moved to by hand (payments set the others; Cancel has its own button). */
export const ORDER_MANUAL_STATUS = "Fulfilled";
