/**
 * The traffic behind the book's SLA example (§11.2.7–11.2.8, Figs 11.10 and 11.11), worked out so that the
 * figures come out exactly, and the figures it yields derived with plain arithmetic.
 *
 * Three endpoints: the Service 1 attachments GET (endpoint SLA "5 s for 96%"), the Service 2 query status
 * GET (endpoint SLA "3 s for 93%") and the Service 1 attachments POST (no endpoint SLA here). The contractual
 * SLA ("15 s for 90%") is measured over every request of both services. Each period starts with its good
 * traffic in its first minute; after that only slow requests arrive, in whole hours, so that each SLA's
 * remaining budget 1 − bad ÷ (ε × total) stays flat between incidents and falls in every hour of one.
 * Requests of 4 s are slow only for the 3 s SLA, of 7.5 s for both endpoint SLAs, of 20 s for every SLA.
 */

export type Ep = "s1Get" | "s2Status" | "s1Post";
export type Sla = "contractual" | "s1" | "s2";
export const LATENCY_MS = { fast: 1000, over3s: 4000, over5s: 7500, over15s: 20_000 } as const;
export type Latency = keyof typeof LATENCY_MS;

/** Objectives in whole percent; what each SLA counts and which latencies are bad for it. */
export const SLAS: Record<Sla, { objective: number; endpoints: Ep[]; bad: Latency[] }> = {
  contractual: { objective: 90, endpoints: ["s1Get", "s2Status", "s1Post"], bad: ["over15s"] },
  s1: { objective: 96, endpoints: ["s1Get"], bad: ["over5s", "over15s"] },
  s2: { objective: 93, endpoints: ["s2Status"], bad: ["over3s", "over5s", "over15s"] },
};

export interface Requests {
  hour: number;
  endpoint: Ep;
  latency: Latency;
  count: number;
}

/** An incident: `sla` loses `percent` of its period budget in `hours` hours from `hour`, with requests of `latency` on `endpoint`. */
export interface Incident {
  sla: Sla;
  hour: number;
  hours: number;
  percent: number;
  endpoint: Ep;
  latency: Latency;
}

interface Counts {
  total: number;
  bad: number;
}

/**
 * Bad requests to add to (total, bad) so the remaining budget is exactly `remainingPercent`:
 * 1 − (bad + x) ÷ (ε (total + x)) = r  ⇔  x = (ε(1−r)·total − bad) ÷ (1 − ε(1−r)), in integers with ε(1−r) =
 * p ÷ 10 000. Null when that is not a whole number.
 */
export function badToReach(objective: number, c: Counts, remainingPercent: number): number | null {
  const p = (100 - objective) * (100 - remainingPercent);
  const num = p * c.total - 10_000 * c.bad;
  const den = 10_000 - p;
  return num % den === 0 && num >= 0 ? num / den : null;
}

export interface PeriodPlan {
  base: Record<Ep, number>;
  incidents: Incident[];
}

/** Good traffic at the period start and incidents: the requests, or null when some count is not whole. */
export function requestsOf(plan: PeriodPlan): Requests[] | null {
  const counts: Record<Sla, Counts> = {
    contractual: { total: 0, bad: 0 },
    s1: { total: 0, bad: 0 },
    s2: { total: 0, bad: 0 },
  };
  const add = (endpoint: Ep, latency: Latency, n: number) => {
    for (const s of Object.keys(SLAS) as Sla[]) {
      if (!SLAS[s].endpoints.includes(endpoint)) continue;
      counts[s].total += n;
      if (SLAS[s].bad.includes(latency)) counts[s].bad += n;
    }
  };
  const out: Requests[] = [];
  const remaining: Record<Sla, number> = { contractual: 100, s1: 100, s2: 100 };
  for (const ep of Object.keys(plan.base) as Ep[]) {
    out.push({ hour: 0, endpoint: ep, latency: "fast", count: plan.base[ep] });
    add(ep, "fast", plan.base[ep]);
  }
  for (const inc of [...plan.incidents].sort((a, b) => a.hour - b.hour)) {
    remaining[inc.sla] -= inc.percent;
    const x = badToReach(SLAS[inc.sla].objective, counts[inc.sla], remaining[inc.sla]);
    if (x === null || x < inc.hours) return null;
    for (let k = 0; k < inc.hours; k++) {
      const n = Math.floor(((k + 1) * x) / inc.hours) - Math.floor((k * x) / inc.hours);
      out.push({ hour: inc.hour + k, endpoint: inc.endpoint, latency: inc.latency, count: n });
    }
    add(inc.endpoint, inc.latency, x);
  }
  return out;
}

/**
 * The smallest base traffic that makes every incident's count whole: the Service 1 GET's for its endpoint SLA,
 * the Service 2 status's for its, then the POST's for the contractual SLA (the given counts times 1, 2, 3…).
 */
export function solvePeriod(plan: PeriodPlan): Requests[] {
  const base = { ...plan.base };
  const only = (sla: Sla) => plan.incidents.filter((i) => i.sla === sla);
  const search = (ep: Ep, incidents: Incident[]) => {
    for (let k = 1; k <= 100_000; k++) {
      const tried = { ...base, [ep]: plan.base[ep] * k };
      if (requestsOf({ base: tried, incidents })) {
        base[ep] = tried[ep];
        return;
      }
    }
    throw new Error(`no whole-number traffic on ${ep} for this plan`);
  };
  search("s1Get", only("s1"));
  search("s2Status", only("s2"));
  search("s1Post", plan.incidents);
  return requestsOf({ base, incidents: plan.incidents })!;
}

/**
 * The figures an SLA's requests give, derived directly: remaining budget at the end, and the speed of each
 * incident that touched it (budget lost ÷ hours, from the last hour before its requests to the hour after).
 */
export function figures(sla: Sla, requests: Requests[]) {
  const eps = (100 - SLAS[sla].objective) / 100;
  const mine = requests.filter((r) => SLAS[sla].endpoints.includes(r.endpoint));
  const byHour = new Map<number, Counts>();
  for (const r of mine) {
    const c = byHour.get(r.hour) ?? { total: 0, bad: 0 };
    c.total += r.count;
    if (SLAS[sla].bad.includes(r.latency)) c.bad += r.count;
    byHour.set(r.hour, c);
  }
  const hours = [...byHour.keys()].sort((a, b) => a - b);
  let total = 0;
  let bad = 0;
  const remainingAfter = new Map<number, number>();
  for (const h of hours) {
    total += byHour.get(h)!.total;
    bad += byHour.get(h)!.bad;
    remainingAfter.set(h, 1 - bad / (eps * total));
  }
  // Runs of consecutive hours with bad requests are the incidents.
  const speeds: number[] = [];
  let prev = 1;
  let runStart = -1;
  let runStartValue = 1;
  for (let i = 0; i < hours.length; i++) {
    const h = hours[i]!;
    const isBad = byHour.get(h)!.bad > 0;
    if (isBad && runStart < 0) {
      runStart = h;
      runStartValue = prev;
    }
    const next = hours[i + 1];
    const nextBad = next !== undefined && next === h + 1 && byHour.get(next)!.bad > 0;
    if (isBad && !nextBad) {
      speeds.push(((runStartValue - remainingAfter.get(h)!) * 100) / (h + 1 - runStart));
      runStart = -1;
    }
    prev = remainingAfter.get(h)!;
  }
  return {
    remaining: prev,
    averageSpeed: speeds.length ? speeds.reduce((a, b) => a + b, 0) / speeds.length : null,
    maxSpeed: speeds.length ? Math.max(...speeds) : null,
  };
}

/** The book's periods 1–3 (4-week SLA periods) and a quiet current period 4. */
export const BOOK_PLAN: PeriodPlan[] = [
  {
    // P1, 1.1–29.1: contractual 30% left (0.4 and 0.2 %/h), Service 1 endpoint 40% (1.2 and 0.8 %/h),
    // Service 2 endpoint 25% (75% in 105 h: 0.71 %/h).
    base: { s1Get: 100, s2Status: 100, s1Post: 100 },
    incidents: [
      { sla: "s1", hour: 24, hours: 30, percent: 36, endpoint: "s1Get", latency: "over5s" },
      { sla: "s1", hour: 72, hours: 30, percent: 24, endpoint: "s1Get", latency: "over5s" },
      { sla: "s2", hour: 120, hours: 105, percent: 75, endpoint: "s2Status", latency: "over3s" },
      { sla: "contractual", hour: 300, hours: 100, percent: 40, endpoint: "s1Post", latency: "over15s" },
      { sla: "contractual", hour: 420, hours: 150, percent: 30, endpoint: "s1Post", latency: "over15s" },
    ],
  },
  {
    // P2: everything fulfilled.
    base: { s1Get: 100, s2Status: 100, s1Post: 100 },
    incidents: [
      { sla: "s1", hour: 48, hours: 40, percent: 50, endpoint: "s1Get", latency: "over5s" },
      { sla: "s2", hour: 200, hours: 60, percent: 30, endpoint: "s2Status", latency: "over3s" },
      { sla: "contractual", hour: 400, hours: 80, percent: 20, endpoint: "s1Post", latency: "over15s" },
    ],
  },
  {
    // P3: the Service 1 endpoint breaks (slow requests over 5 s: −20%), and requests over 15 s break the
    // contractual SLA (−20%); Service 2 holds.
    base: { s1Get: 100, s2Status: 100, s1Post: 100 },
    incidents: [
      { sla: "s2", hour: 30, hours: 40, percent: 40, endpoint: "s2Status", latency: "over3s" },
      { sla: "s1", hour: 100, hours: 48, percent: 120, endpoint: "s1Get", latency: "over5s" },
      { sla: "contractual", hour: 300, hours: 48, percent: 120, endpoint: "s1Post", latency: "over15s" },
    ],
  },
  { base: { s1Get: 100, s2Status: 100, s1Post: 100 }, incidents: [] },
];
