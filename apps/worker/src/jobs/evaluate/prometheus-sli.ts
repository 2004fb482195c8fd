import { SourceAuthResponse } from "@burnrate/contracts";
import { createSecretBox, type Db, type LoadedSlo, type SecretBox } from "@burnrate/db";
import { DEFAULT_PROMETHEUS_OPTIONS, promWindowCounts, type PrometheusOptions } from "@burnrate/ingest";
import {
  MINUTE_MS,
  evaluationInstants,
  minuteEnd,
  sampledSumsFromWindows,
  type SampledSums,
  type SloModel,
} from "@burnrate/slo-core";

/** A Prometheus-sourced SLO without an answer with data for this long gets a no-data alert (unless set). */
export const PROMETHEUS_NO_DATA_MINUTES = 5;

export interface PrometheusPullOptions extends PrometheusOptions {
  /** No-data minutes for SLOs whose alerting does not set noDataMinutes. */
  noDataMinutes: number;
  /** Opens the sources' sealed credentials (BURNRATE_SECRET_KEY). */
  secrets?: SecretBox;
}

const NO_KEY = createSecretBox(null);

/**
 * The Authorization header of an SLO's Prometheus source, from its sealed credentials (none: no header). A
 * secret no configured key opens throws, and the pull is recorded as failed with that reason.
 */
export function sourceAuthHeaders(slo: LoadedSlo, secrets: SecretBox = NO_KEY): Record<string, string> {
  const { sourceAuth, sourceSecret } = slo.row;
  if (sourceAuth == null || sourceSecret == null) return {};
  const auth = SourceAuthResponse.parse(sourceAuth);
  let secret: string;
  try {
    secret = secrets.open(sourceSecret);
  } catch (err) {
    throw new Error(`the source's credentials cannot be read: ${(err as Error).message}`);
  }
  if (auth.type === "bearer") return { authorization: `Bearer ${secret}` };
  return {
    authorization: `Basic ${Buffer.from(`${auth.username ?? ""}:${secret}`).toString("base64")}`,
  };
}

export const DEFAULT_PROMETHEUS_PULL: PrometheusPullOptions = {
  ...DEFAULT_PROMETHEUS_OPTIONS,
  noDataMinutes: PROMETHEUS_NO_DATA_MINUTES,
};

export interface PrometheusPull {
  /** Running totals at every instant the status windows and tiers read (null: the pull failed). */
  sums: SampledSums | null;
  /** When the source last answered with data (this cycle when it just did); null: never. */
  lastOkMs: number | null;
  error: string | null;
}

/**
 * Pulls a Prometheus-sourced SLO's counts for each window the evaluation reads, all ending at the cycle's
 * aligned instant (minuteEnd(nowMs)): PromQL's own sum(increase(…)) over each window. Records the outcome in
 * slo_source_states. A failure (unreachable, timeout, bad query) is recorded, never thrown: the SLO then has no
 * data this cycle, which turns into a no-data alert once it lasts, never into a silent 100%.
 */
export async function pullPrometheusSli(
  db: Db,
  slo: LoadedSlo,
  model: SloModel,
  nowMs: number,
  opts: PrometheusOptions & { secrets?: SecretBox },
): Promise<PrometheusPull> {
  const sli = slo.spec.sli;
  if (sli.type !== "prometheus") throw new Error(`SLO ${slo.id} is not Prometheus-sourced`);
  const toMs = minuteEnd(nowMs);
  const instants = evaluationInstants(model, nowMs);
  const prev = await db.sloSourceState.findUnique({ where: { sloId: slo.id } });
  try {
    const { secrets, ...queryOpts } = opts;
    const counts = await promWindowCounts(
      sli,
      instants.filter((t) => t < toMs).map((t) => toMs - t),
      toMs,
      { ...queryOpts, headers: { ...queryOpts.headers, ...sourceAuthHeaders(slo, secrets) } },
    );
    const hasData = counts.size > 0;
    const at = new Date(nowMs);
    // The counts this evaluation decides on, kept so GET /status shows the same numbers (see windowCountsOf).
    const kept = {
      countsAt: at,
      windowCounts: [...counts].map(([w, c]) => [w, c.good, c.total]),
    };
    await db.sloSourceState.upsert({
      where: { sloId: slo.id },
      create: { sloId: slo.id, failures: 0, ...kept, ...(hasData ? { lastOkAt: at } : {}) },
      update: { failures: 0, ...kept, ...(hasData ? { lastOkAt: at } : {}) },
    });
    return {
      sums: sampledSumsFromWindows(toMs, instants, counts),
      lastOkMs: hasData ? nowMs : (prev?.lastOkAt?.getTime() ?? null),
      error: hasData ? null : "the total query has no series",
    };
  } catch (err) {
    const error = (err as Error).message.slice(0, 1000);
    await db.sloSourceState.upsert({
      where: { sloId: slo.id },
      create: { sloId: slo.id, failures: 1, lastError: error, lastErrorAt: new Date(nowMs) },
      update: { failures: { increment: 1 }, lastError: error, lastErrorAt: new Date(nowMs) },
    });
    return { sums: null, lastOkMs: prev?.lastOkAt?.getTime() ?? null, error };
  }
}

/**
 * The instants the no-data rule reads for a Prometheus-sourced SLO: it "had data" since it was created (so a
 * source that never answers also alerts) and was last "seen" at its last answer with data. Both are taken at
 * the start of their minute: the silence is counted in evaluation cycles, so the no-data alert comes at the
 * `noDataMinutes`-th cycle after the last answer however late in its minute each cycle ran (counted in wall
 * time, a last answer late in its minute and a cycle early in its minute would put it one cycle later).
 */
export function prometheusNoDataInput(
  slo: LoadedSlo,
  pull: PrometheusPull,
): {
  lastDataMs: number;
  lastSeenMs: number;
} {
  const seen = Math.floor((pull.lastOkMs ?? slo.row.createdAt.getTime()) / MINUTE_MS) * MINUTE_MS;
  return { lastDataMs: seen, lastSeenMs: seen };
}
