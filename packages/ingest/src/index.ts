// @burnrate/ingest: what turns outside data into request records and per-minute counts. The ratio filter
// language is its own entry, `@burnrate/ingest/filter`.

// Records: validation (shared by every source) and the batch that push sources fill.
export * from "./records/control-chars";
export * from "./records/validate-record";
export * from "./records/request-batch";

// The seam: push sources read a body into a RequestBatch, pull sources yield per-minute counts.
export * from "./sources/source";

// NDJSON (push): the byte-level fast path and the parser around it.
export * from "./sources/ndjson/line-scanner";
export * from "./sources/ndjson/ndjson-parser";
export * from "./sources/ndjson/ndjson-source";

// OTLP/HTTP traces (push): the protobuf wire format and the span → record mapping.
export * from "./sources/otlp/otlp-types";
export { OtlpDecodeError } from "./sources/otlp/wire-reader";
export * from "./sources/otlp/trace-request";
export * from "./sources/otlp/trace-response";
export * from "./sources/otlp/rpc-status";
export * from "./sources/otlp/span-mapping";
export * from "./sources/otlp/otlp-source";

// Prometheus (pull): window counts from PromQL instant queries.
export * from "./sources/prometheus/prometheus-source";
