export * from "./records/control-chars";
export * from "./records/validate-record";
export * from "./sources/ndjson/line-scanner";
export * from "./sources/ndjson/ndjson-parser";
export * from "./sources/otlp/span-mapping";
