import type { IngestResponse } from "@burnrate/contracts";
import { ndjsonSource } from "@burnrate/ingest";
import { ingestRecords, type IngestDeps } from "./ingest-records";

/** Parses an NDJSON body of request records (each line on its own) and ingests them. */
export async function ingestNdjson(deps: IngestDeps, body: Buffer): Promise<IngestResponse> {
  const { batch } = ndjsonSource.read(body, deps.nowMs, {});
  return ingestRecords({ ...deps, fieldNames: ndjsonSource.fieldNames }, batch);
}
