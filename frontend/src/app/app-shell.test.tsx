import { describe, expect, it } from "vitest";
import type { ObjectMeta } from "../records/metadata/types";
import { accountMeta, contactMeta } from "../testing/fixtures";
import { navEntries } from "./app-shell";

const grouped = (name: string, label: string): ObjectMeta => ({ ...accountMeta, name, label_plural: label, extra: { nav_group: "marketing" } });

describe("navEntries", () => {
  it("puts the objects of a nav group into one menu where the first of them stands", () => {
    const entries = navEntries(
      [accountMeta, grouped("campaign", "Campaigns"), contactMeta, grouped("segment", "Segments")],
      (meta) => meta.label_plural,
      (group) => `Group ${group}`,
    );
    expect(entries).toEqual([
      { to: "/o/account", label: accountMeta.label_plural, end: false },
      {
        group: "marketing",
        label: "Group marketing",
        links: [
          { to: "/o/campaign", label: "Campaigns", end: false },
          { to: "/o/segment", label: "Segments", end: false },
        ],
      },
      { to: "/o/contact", label: contactMeta.label_plural, end: false },
    ]);
  });
});
