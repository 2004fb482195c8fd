import type { IngestResponse } from "@burnrate/contracts";
import { ndjsonSource } from "@burnrate/ingest";
import { ingestRecords, type IngestDeps } from "./ingest-records";

/**
 * Parses an NDJSON body of request records (each line on its own) and ingests them. With parse threads the
 * body is parsed on one of them (the body is moved there), else on this thread; the batch is the same.
 */
export async function ingestNdjson(deps: IngestDeps, body: Buffer): Promise<IngestResponse> {
  const batch =
    (await deps.parsePool?.parse(body, deps.nowMs)) ?? ndjsonSource.read(body, deps.nowMs, {}).batch;
  return ingestRecords({ ...deps, fieldNames: ndjsonSource.fieldNames }, batch);
}
