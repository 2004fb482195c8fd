/** Deployments: regular releases of every service, and the bad deploy and rollback around some incidents. */
import { HOUR_MS, MINUTE_MS } from "../../../packages/slo-core/src/time-units.ts";
import { resolve, type TrafficOptions } from "./options.ts";
import { occurrences } from "./schedule.ts";

export interface DeploymentEvent {
  service: string;
  region: string;
  version: string;
  kind: "deployment";
  at: number;
  note?: string;
}

const DEPLOY_EVERY_MS = 20 * HOUR_MS;
const DEPLOY_REGION_GAP_MS = 45 * MINUTE_MS;

function versionOf(serviceIndex: number, k: number): { minor: number; patch: number } {
  return { minor: 30 + ((Math.floor(k / 6) + serviceIndex * 17) % 60), patch: k % 6 };
}

/**
 * Deployments with `at` in [fromMs, toMs), sorted by time: every service ships about every 20 h (prod-eu first,
 * prod-us 45 min later), and an incident with `deployLeadMs` is preceded by a bad deploy and ended by a rollback.
 */
export function deploymentsBetween(
  fromMs: number,
  toMs: number,
  opts: TrafficOptions = {},
): DeploymentEvent[] {
  const r = resolve(opts);
  const out: DeploymentEvent[] = [];
  const services = r.catalog.services;
  const regionSlugs = r.catalog.regions.map((x) => x.slug);
  const offsetOf = (i: number) => Math.round(i * 5.5 * HOUR_MS + 1.5 * HOUR_MS);
  services.forEach((svc, i) => {
    const off = offsetOf(i);
    const lastGap = DEPLOY_REGION_GAP_MS * Math.max(0, regionSlugs.length - 1);
    for (
      let k = Math.floor((fromMs - off - lastGap) / DEPLOY_EVERY_MS);
      k <= Math.floor((toMs - off) / DEPLOY_EVERY_MS);
      k++
    ) {
      const v = versionOf(i, k);
      regionSlugs.forEach((region, j) => {
        const at = k * DEPLOY_EVERY_MS + off + j * DEPLOY_REGION_GAP_MS;
        if (at >= fromMs && at < toMs)
          out.push({
            service: svc.slug,
            region,
            version: `v1.${v.minor}.${v.patch}`,
            kind: "deployment",
            at,
          });
      });
    }
  });
  const maxLead = Math.max(0, ...r.incidents.map((t) => t.deployLeadMs ?? 0));
  for (const o of occurrences(fromMs, toMs + maxLead, r)) {
    if (o.deployLeadMs === undefined) continue;
    const i = services.findIndex((s) => s.slug === o.service);
    if (i < 0) continue;
    const badAt = o.startMs - o.deployLeadMs;
    // The version running at badAt is that of the latest regular deploy to the incident's region.
    const j = Math.max(0, regionSlugs.indexOf(o.region));
    const k = Math.floor((badAt - offsetOf(i) - j * DEPLOY_REGION_GAP_MS) / DEPLOY_EVERY_MS);
    const v = versionOf(i, k);
    const current = `v1.${v.minor}.${v.patch}`;
    const bad = `v1.${v.minor}.${v.patch + 1}-rc.1`;
    if (badAt >= fromMs && badAt < toMs)
      out.push({
        service: o.service,
        region: o.region,
        version: bad,
        kind: "deployment",
        at: badAt,
        note: `precedes incident: ${o.title}`,
      });
    if (o.endMs >= fromMs && o.endMs < toMs)
      out.push({
        service: o.service,
        region: o.region,
        version: current,
        kind: "deployment",
        at: o.endMs,
        note: `rollback of ${bad}`,
      });
  }
  return out.sort(
    (a, b) => a.at - b.at || a.service.localeCompare(b.service) || a.region.localeCompare(b.region),
  );
}
