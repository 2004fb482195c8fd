// The filter language of custom ratio SLIs: parse (with positioned errors), print canonically, evaluate.
export * from "./filter-ast";
export * from "./parse-filter";
export * from "./print-filter";
export * from "./evaluate-filter";
