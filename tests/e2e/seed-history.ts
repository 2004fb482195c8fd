/**
 * Long history for the product-owner and manager pages, on a stack without a worker (so nothing recomputes
 * it): six months of hourly SLI counts (what retention folds minutes into) plus the current hour in minutes,
 * from a deterministic model (diurnal traffic per region, a small baseline error rate, incidents on fixed
 * days), and the book's depletion example (§11.2.4) on a timeslice SLO in the previous calendar month.
 *
 * Nothing here depends on the hour the suite runs at: the stack's clock is `historyNow()` (the last 13:00 UTC, or
 * `E2E_HISTORY_NOW`), and each incident starts at a fixed UTC hour of its day, so the traffic it hits (diurnal,
 * per region) and the budget it burns are the same every run.
 */
import { storeSliHours, storeSliMinutes } from "../../packages/db/src/index.ts";
import { mulberry32 } from "../../scripts/lib/traffic";
import { call, type Stack } from "../../apps/api/test/harness";

const H = 3600_000;
const DAY = 24 * H;
const REGIONS = [
  { slug: "prod-eu", weight: 1, peak: 13 },
  { slug: "prod-us", weight: 0.8, peak: 20 },
  { slug: "prod-jp", weight: 0.5, peak: 4 },
];

interface Incident {
  /** The incident's UTC day, counted back from the day of `now`. */
  daysAgo: number;
  /** UTC hour of that day at which it starts (default 10: the European morning, near prod-eu's peak). */
  atUtcHour?: number;
  hours: number;
  badRate: number;
  region: string;
}
interface HistorySlo {
  key: string;
  body: Record<string, unknown>;
  baseline: number;
  incidents: Incident[];
}

const SLOS: HistorySlo[] = [
  {
    key: "login",
    body: {
      service: "accounts",
      name: "Login availability",
      endpoint: "POST /login",
      sli: { type: "availability" },
      objectivePercent: 99.9,
      window: { type: "rolling", days: 28 },
      priority: "P1",
    },
    baseline: 0.0003,
    incidents: [
      { daysAgo: 40, hours: 6, badRate: 0.2, region: "prod-eu" },
      { daysAgo: 100, hours: 2, badRate: 0.05, region: "prod-us" },
      { daysAgo: 3, hours: 1, badRate: 0.1, region: "prod-jp" },
    ],
  },
  {
    key: "login-latency",
    body: {
      service: "accounts",
      name: "Login latency",
      endpoint: "POST /login",
      sli: { type: "latency", thresholdMs: 300 },
      objectivePercent: 99,
      window: { type: "rolling", days: 28 },
    },
    baseline: 0.004,
    incidents: [
      { daysAgo: 20, hours: 12, badRate: 0.3, region: "prod-us" },
      { daysAgo: 130, hours: 30, badRate: 0.4, region: "prod-eu" },
    ],
  },
  {
    key: "profile",
    body: {
      service: "profile",
      name: "Profile availability",
      endpoint: "GET /user",
      sli: { type: "availability" },
      objectivePercent: 99.5,
      window: { type: "calendar", period: "4w" },
    },
    baseline: 0.001,
    incidents: [
      { daysAgo: 70, hours: 24, badRate: 0.05, region: "prod-eu" },
      { daysAgo: 12, hours: 8, badRate: 0.25, region: "prod-jp" },
    ],
  },
];

/**
 * The history stack's clock: `E2E_HISTORY_NOW` (ISO-8601) when set, else the last 13:00 UTC at or before the real
 * time. A fixed hour of day, so the seeded periods, incidents and budgets do not move with the hour of the run.
 */
export function historyNow(realNowMs = Date.now(), env = process.env.E2E_HISTORY_NOW): number {
  if (env) {
    const t = Date.parse(env);
    if (!Number.isFinite(t)) throw new Error(`E2E_HISTORY_NOW=${env}: not an ISO-8601 time`);
    return t;
  }
  const at13 = Math.floor(realNowMs / DAY) * DAY + 13 * H;
  return at13 <= realNowMs ? at13 : at13 - DAY;
}

function diurnal(tMs: number, peak: number): number {
  const h = new Date(tMs).getUTCHours() + new Date(tMs).getUTCMinutes() / 60;
  return 0.6 + 0.4 * Math.cos(((h - peak) / 24) * 2 * Math.PI);
}

/** Stores hours (hour resolution) or minutes as the evaluator and retention would have left them. */
async function insert(
  stack: Stack,
  resolution: "minutes" | "hours",
  rows: { slo: string; region: string; t: number; good: number; total: number }[],
) {
  if (resolution === "hours")
    await storeSliHours(
      stack.db,
      rows.map((r) => ({ sloId: r.slo, regionId: r.region, hourMs: r.t, good: r.good, total: r.total })),
    );
  else
    await storeSliMinutes(
      stack.db,
      rows.map((r) => ({ sloId: r.slo, regionId: r.region, minuteMs: r.t, good: r.good, total: r.total })),
    );
}

export interface HistoryState {
  bookSloId: string;
  sloIds: Record<string, string>;
}

export async function seedHistory(stack: Stack, nowMs: number): Promise<HistoryState> {
  await call(stack, "POST", "/api/v1/teams", { slug: "identity", name: "Identity" });
  for (const [slug, name] of [
    ["accounts", "Accounts"],
    ["profile", "Profile"],
    ["affil", "Affiliations"],
  ])
    await call(stack, "POST", "/api/v1/services", {
      slug,
      name,
      team: "identity",
      runbookUrl: `https://runbooks.example.com/${slug}`,
    });
  const regionIds: Record<string, string> = {};
  for (const r of REGIONS)
    regionIds[r.slug] = (await stack.db.region.create({ data: { slug: r.slug, name: r.slug } })).id;
  const hourNow = Math.floor(nowMs / H) * H;
  const dayNow = Math.floor(nowMs / DAY) * DAY;
  const sloIds: Record<string, string> = {};
  const hours: { slo: string; region: string; t: number; good: number; total: number }[] = [];
  const minutes: typeof hours = [];
  for (const s of SLOS) {
    const created = await call(stack, "POST", "/api/v1/slos", s.body);
    if (created.status !== 201) throw new Error(`history SLO ${s.key}: ${JSON.stringify(created.body)}`);
    const id = created.body!.id as string;
    sloIds[s.key] = id;
    const rnd = mulberry32(s.key.length * 7919 + 13);
    for (const r of REGIONS) {
      const badAt = (t: number) => {
        let rate = s.baseline * (0.5 + rnd());
        for (const i of s.incidents) {
          const start = dayNow - i.daysAgo * DAY + (i.atUtcHour ?? 10) * H;
          if (i.region === r.slug && t >= start && t < start + i.hours * H) rate = i.badRate;
        }
        return rate;
      };
      for (let t = hourNow - 170 * DAY; t < hourNow; t += H) {
        const total = Math.round(3000 * r.weight * diurnal(t, r.peak));
        hours.push({
          slo: id,
          region: regionIds[r.slug]!,
          t,
          good: total - Math.round(total * badAt(t)),
          total,
        });
      }
      for (let t = hourNow; t < Math.floor(nowMs / 60_000) * 60_000; t += 60_000) {
        const total = Math.round(50 * r.weight * diurnal(t, r.peak));
        minutes.push({
          slo: id,
          region: regionIds[r.slug]!,
          t,
          good: total - Math.round(total * badAt(t)),
          total,
        });
      }
    }
  }
  await insert(stack, "hours", hours);
  await insert(stack, "minutes", minutes);

  // The book's example (§11.2.4): a calendar-month timeslice SLO whose previous month allows exactly 1,000 bad
  // minutes and loses 70% in 52 h, 50% in 26 h and 25% in 70 h -> speeds 1.3, 1.9, 0.4 %/h, average 1.2, max 1.9.
  const d = new Date(nowMs);
  const prevStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1);
  const prevEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const objectivePercent = 100 * (1 - 1000 / ((prevEnd - prevStart) / 60_000));
  const book = await call(stack, "POST", "/api/v1/slos", {
    service: "affil",
    name: "Affiliations availability",
    endpoint: "GET /affil",
    sli: { type: "availability" },
    objectivePercent,
    window: { type: "calendar", period: "month" },
    budgetingMethod: "timeslices",
  });
  if (book.status !== 201) throw new Error(`book SLO: ${JSON.stringify(book.body)}`);
  const bookId = book.body!.id as string;
  const bookRows: typeof hours = [];
  const episode = (start: number, nHours: number, bad: number) => {
    for (let k = 0; k < nHours; k++) {
      const c = Math.floor(((k + 1) * bad) / nHours) - Math.floor((k * bad) / nHours);
      for (let i = 0; i < c; i++)
        bookRows.push({
          slo: bookId,
          region: regionIds["prod-us"]!,
          t: start + k * H + i * 60_000,
          good: 0,
          total: 1,
        });
    }
  };
  episode(prevStart + 2 * DAY, 52, 700);
  episode(prevStart + 9 * DAY, 26, 500);
  episode(prevStart + 16 * DAY, 70, 250);
  // good minutes around the episodes, so the SLI is not all bad: one good minute every 10 minutes
  const taken = new Set(bookRows.map((b) => b.t));
  for (let t = prevStart; t < Math.floor(nowMs / 60_000) * 60_000; t += 10 * 60_000)
    if (!taken.has(t)) bookRows.push({ slo: bookId, region: regionIds["prod-us"]!, t, good: 20, total: 20 });
  await insert(stack, "minutes", bookRows);
  // The history is in place: nothing left to backfill (this stack has no worker to do it).
  await stack.db.slo.updateMany({ data: { backfillPercent: 100 } });
  return { bookSloId: bookId, sloIds };
}
