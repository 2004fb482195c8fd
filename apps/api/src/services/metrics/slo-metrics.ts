import { readMetricSnapshots, type Db } from "@burnrate/db";
import { writeSloExposition } from "./slo-exposition";

/** GET /metrics/slos: the worker's last snapshot of every SLO × region, as Prometheus text. One query. */
export async function readSloExposition(db: Db): Promise<Buffer> {
  return writeSloExposition(await readMetricSnapshots(db));
}
