/** Deployments of the traffic model, posted once each (same service, region, version and time). */
import { DEMO_CATALOG, type DeploymentEvent } from "../lib/traffic.ts";
import { call, type Api } from "./api-client.ts";

const deploymentKey = (d: { service: string; region: string | null; version: string; at: number | string }) =>
  `${d.service}|${d.region ?? ""}|${d.version}|${new Date(d.at).toISOString()}`;

/** Posts deployments not already recorded (same service, region, version and time). Returns those created. */
export async function postDeployments(
  api: Api,
  events: DeploymentEvent[],
  known: Set<string>,
): Promise<DeploymentEvent[]> {
  const posted: DeploymentEvent[] = [];
  for (const d of events) {
    const key = deploymentKey(d);
    if (known.has(key)) continue;
    await call(api, "POST", "/api/v1/deployments", {
      json: {
        service: d.service,
        region: d.region,
        version: d.version,
        kind: d.kind,
        at: d.at,
        ...(d.note ? { note: d.note } : {}),
      },
    });
    known.add(key);
    posted.push(d);
  }
  return posted;
}

/** The deployments already recorded for the demo services, as keys. */
export async function knownDeployments(api: Api): Promise<Set<string>> {
  const known = new Set<string>();
  for (const s of DEMO_CATALOG.services) {
    const { body } = await call<{ service: string; region: string | null; version: string; at: string }[]>(
      api,
      "GET",
      `/api/v1/deployments?service=${encodeURIComponent(s.slug)}&limit=500`,
    );
    if (Array.isArray(body)) for (const d of body) known.add(deploymentKey(d));
  }
  return known;
}
