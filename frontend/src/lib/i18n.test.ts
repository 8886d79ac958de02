import { describe, expect, it } from "vitest";
import { bg } from "./locales/bg";
import { en } from "./locales/en";

function keys(value: object, prefix = ""): string[] {
  return Object.entries(value).flatMap(([key, child]) => (typeof child === "object" && child !== null ? keys(child, `${prefix}${key}.`) : [`${prefix}${key}`]));
}

describe("catalogs", () => {
  it("Bulgarian has every English key and no empty strings", () => {
    expect(keys(bg).sort()).toEqual(keys(en).sort());
    expect(keys(bg).filter((key) => key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], bg) === "")).toEqual([]);
  });
});
