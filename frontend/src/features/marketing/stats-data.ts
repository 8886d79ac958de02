/** The figures of a send's statistics shaped for its charts (rates of the delivered mail, bar lengths). */
import type { EmailStats } from "./api/marketing-queries";

export type StatBar = {
  key: "delivered" | "unique_opens" | "machine_opens" | "unique_clicks" | "unsubscribes" | "bounces";
  value: number;
  /** Share of the delivered mail (bounces: of the recipients sent to), 0..1; null before anything went out. */
  rate: number | null;
  /** Bar length, 0..100, against the largest bar. */
  width: number;
  tone: "base" | "success" | "muted" | "warning" | "error";
};

export type LinkBar = { url: string; clicks: number; people: number; width: number };

export type Progress = { total: number; done: number; queued: number; percent: number };

const TONES: Record<StatBar["key"], StatBar["tone"]> = {
  delivered: "base",
  unique_opens: "success",
  machine_opens: "muted",
  unique_clicks: "success",
  unsubscribes: "warning",
  bounces: "error",
};

function share(part: number, whole: number): number | null {
  return whole > 0 ? Math.min(1, part / whole) : null;
}

/** Width of a bar against the largest, with a sliver for any value above zero so it stays visible. */
function width(value: number, max: number): number {
  if (value <= 0 || max <= 0) return 0;
  return Math.max(1, Math.round((value / max) * 1000) / 10);
}

/** The engagement bars: opens by people and by machines (privacy proxies, scanners) apart. */
export function statBars(stats: EmailStats): StatBar[] {
  const attempted = stats.delivered + stats.bounces;
  const values: [StatBar["key"], number, number | null][] = [
    ["delivered", stats.delivered, share(stats.delivered, attempted)],
    ["unique_opens", stats.unique_opens, share(stats.unique_opens, stats.delivered)],
    ["machine_opens", stats.machine_opens, share(stats.machine_opens, stats.delivered)],
    ["unique_clicks", stats.unique_clicks, share(stats.unique_clicks, stats.delivered)],
    ["unsubscribes", stats.unsubscribes, share(stats.unsubscribes, stats.delivered)],
    ["bounces", stats.bounces, share(stats.bounces, attempted)],
  ];
  const max = Math.max(0, ...values.map(([, value]) => value));
  return values.map(([key, value, rate]) => ({ key, value, rate, width: width(value, max), tone: TONES[key] }));
}

/** Clicks per link, the most clicked first (as the server orders them), with bar lengths. */
export function linkBars(stats: EmailStats): LinkBar[] {
  const max = Math.max(0, ...stats.links.map((link) => link.clicks));
  return stats.links.map((link) => ({ ...link, width: width(link.clicks, max) }));
}

/** How far a send got: every recipient no longer waiting (queued or being sent) counts as done. */
export function progressOf(stats: EmailStats): Progress {
  const waiting = (stats.by_status.queued ?? 0) + (stats.by_status.sending ?? 0);
  const total = stats.recipients;
  const done = Math.max(0, total - waiting);
  return { total, done, queued: waiting, percent: total > 0 ? Math.floor((done / total) * 100) : 0 };
}
