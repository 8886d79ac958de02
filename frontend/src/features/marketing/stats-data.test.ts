import { describe, expect, it } from "vitest";
import type { EmailStats } from "./api/marketing-queries";
import { linkBars, progressOf, statBars } from "./stats-data";

const stats = (overrides: Partial<EmailStats> = {}): EmailStats => ({
  recipients: 0,
  by_status: {},
  delivered: 0,
  unique_opens: 0,
  machine_opens: 0,
  unique_clicks: 0,
  machine_clicks: 0,
  unsubscribes: 0,
  bounces: 0,
  unknown: 0,
  links: [],
  ...overrides,
});

describe("statBars", () => {
  it("gives rates of the delivered mail, bounces of what was sent, and machine opens apart", () => {
    const bars = statBars(stats({ recipients: 10, delivered: 8, bounces: 2, unique_opens: 4, machine_opens: 2, unique_clicks: 1, unsubscribes: 1 }));
    const byKey = Object.fromEntries(bars.map((bar) => [bar.key, bar]));
    expect(bars.map((bar) => bar.key)).toEqual(["delivered", "unique_opens", "machine_opens", "unique_clicks", "unsubscribes", "bounces"]);
    expect(byKey.delivered).toMatchObject({ value: 8, rate: 0.8, width: 100 });
    expect(byKey.bounces).toMatchObject({ value: 2, rate: 0.2, width: 25, tone: "error" });
    expect(byKey.unique_opens).toMatchObject({ rate: 0.5, width: 50, tone: "success" });
    expect(byKey.machine_opens).toMatchObject({ rate: 0.25, tone: "muted" });
    expect(byKey.unique_clicks.rate).toBe(0.125);
  });

  it("has no rates and empty bars before anything was sent", () => {
    const bars = statBars(stats());
    expect(bars.every((bar) => bar.rate === null && bar.width === 0)).toBe(true);
  });

  it("keeps a small figure visible next to a large one", () => {
    const bars = statBars(stats({ delivered: 10_000, unique_clicks: 3 }));
    expect(bars.find((bar) => bar.key === "unique_clicks")?.width).toBe(1);
  });
});

describe("linkBars", () => {
  it("sizes each link's bar against the most clicked", () => {
    const bars = linkBars(
      stats({
        links: [
          { url: "https://shop.example/a", clicks: 8, people: 5 },
          { url: "https://shop.example/b", clicks: 2, people: 2 },
        ],
      }),
    );
    expect(bars.map((bar) => [bar.url, bar.width])).toEqual([
      ["https://shop.example/a", 100],
      ["https://shop.example/b", 25],
    ]);
  });
});

describe("progressOf", () => {
  it("counts every recipient no longer queued or being sent as done", () => {
    expect(progressOf(stats({ recipients: 8, by_status: { queued: 3, sending: 1, sent: 2, opened: 1, suppressed: 1 } }))).toEqual({
      total: 8,
      done: 4,
      queued: 4,
      percent: 50,
    });
    expect(progressOf(stats({ recipients: 3, by_status: { queued: 1, sent: 2 } })).percent).toBe(66);
    expect(progressOf(stats()).percent).toBe(0);
  });
});
