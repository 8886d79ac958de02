// Fails when a source file name is not kebab-case (e.g. ListView.tsx instead of list-view.tsx).
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+)*$/;
const bad = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    if (!KEBAB.test(name)) bad.push(path);
  }
}
for (const dir of ["src", "e2e"]) walk(dir);
if (bad.length) {
  console.error(`File names must be kebab-case:\n  ${bad.join("\n  ")}`);
  process.exit(1);
}
