// Lint rules for the web UI (see STYLE.md "Front end").
import js from "@eslint/js";
import importPlugin from "eslint-plugin-import";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const FEATURES = [
  "activities",
  "admin",
  "billing-lines",
  "contracts",
  "dashboard",
  "lead-conversion",
  "marketing",
  "opportunity-kanban",
  "opportunity-products",
  "orders",
  "payments",
  "reports",
  "search",
];

export default tseslint.config(
  { ignores: ["dist", "node_modules", "test-results", "playwright-report"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["src/**/*.{ts,tsx}", "e2e/**/*.ts", "*.{ts,js}", "scripts/**/*.mjs"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.browser, ...globals.node } },
    plugins: { "react-hooks": reactHooks, import: importPlugin },
    settings: {
      "import/resolver": { node: { extensions: [".ts", ".tsx", ".js", ".mjs"] } },
    },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      "@typescript-eslint/no-non-null-assertion": "off",
      "import/no-restricted-paths": [
        "error",
        {
          zones: [
            // The generic framework knows nothing about per-object code or features.
            { target: "./src/records", from: "./src/features", message: "records/ must not import features/." },
            { target: "./src/records", from: "./src/objects", message: "records/ must not import objects/." },
            { target: "./src/components", from: ["./src/features", "./src/objects", "./src/records"], message: "components/ are plain SLDS wrappers." },
            // Features are independent of one another.
            ...FEATURES.map((feature) => ({
              target: `./src/features/${feature}`,
              from: "./src/features",
              except: [`./${feature}`],
              message: "Features must not import one another; move shared code to records/ or components/.",
            })),
          ],
        },
      ],
    },
  },
);
