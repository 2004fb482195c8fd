export * from "./parse-filter";
