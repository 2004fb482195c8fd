/** The OTLP/JSON shape of a traces request (the protobuf decoder produces it too) and its response. */

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
}
export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}
export interface OtlpSpan {
  name?: string;
  kind?: number | string;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
  attributes?: OtlpKeyValue[];
}
export interface OtlpScopeSpans {
  spans?: OtlpSpan[];
}
export interface OtlpResourceSpans {
  resource?: { attributes?: OtlpKeyValue[] };
  scopeSpans?: OtlpScopeSpans[];
}
export interface OtlpTracesRequest {
  resourceSpans?: OtlpResourceSpans[];
}

/** SpanKind.SPAN_KIND_SERVER */
export const SPAN_KIND_SERVER = 2;

export interface OtlpPartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}
