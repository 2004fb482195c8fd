/** Sends request records to `POST /api/v1/ingest/requests` as gzipped NDJSON. */
import { promisify } from "node:util";
import { gzip as gzipCb } from "node:zlib";
import type { RequestRecord, TrafficChunk } from "../lib/traffic.ts";
import { call, type Api } from "./api-client.ts";

const gzip = promisify(gzipCb);

export interface IngestTotals {
  sent: number;
  accepted: number;
  rejected: number;
  failed: number;
  requests: number;
}

export function toNdjson(records: RequestRecord[]): string {
  let s = "";
  for (const r of records) s += JSON.stringify(r) + "\n";
  return s;
}

export async function ingestChunk(
  api: Api,
  chunk: TrafficChunk,
): Promise<{ accepted: number; rejected: number; errors: { line: number; message: string }[] }> {
  const body = await gzip(Buffer.from(toNdjson(chunk.records)), { level: 5 });
  const { body: res } = await call<{
    accepted: number;
    rejected: number;
    errors?: { line: number; message: string }[];
  }>(api, "POST", "/api/v1/ingest/requests", {
    body,
    headers: { "content-type": "application/x-ndjson", "content-encoding": "gzip" },
    timeoutMs: 120_000,
  });
  return { accepted: res.accepted ?? 0, rejected: res.rejected ?? 0, errors: res.errors ?? [] };
}
