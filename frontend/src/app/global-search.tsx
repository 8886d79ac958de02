// The header search lives in features/search; the shell keeps importing it from here.
export { GlobalSearch } from "../features/search/global-search";
