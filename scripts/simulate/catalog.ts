/** Creates the demo catalog (teams, services, SLOs) through the API; what already exists is left alone. */
import { DEMO_CATALOG } from "../lib/traffic.ts";
import { ApiError, call, type Api } from "./api-client.ts";

export async function seedCatalog(
  api: Api,
  log: (s: string) => void,
): Promise<{ created: string[]; existing: string[] }> {
  const created: string[] = [];
  const existing: string[] = [];
  for (const t of DEMO_CATALOG.teams) {
    const r = await call(api, "POST", "/api/v1/teams", { json: t, okStatuses: [409] });
    (r.status === 409 ? existing : created).push(`team ${t.slug}`);
  }
  for (const s of DEMO_CATALOG.services) {
    const body = {
      slug: s.slug,
      name: s.name,
      team: s.team,
      description: s.description,
      runbookUrl: s.runbookUrl,
      tier: s.tier,
    };
    const r = await call(api, "POST", "/api/v1/services", { json: body, okStatuses: [409] });
    (r.status === 409 ? existing : created).push(`service ${s.slug}`);
  }
  for (const s of DEMO_CATALOG.services) {
    const { body } = await call<unknown>(
      api,
      "GET",
      `/api/v1/slos?service=${encodeURIComponent(s.slug)}&limit=1000`,
    );
    const list = (Array.isArray(body) ? body : ((body as { items?: unknown[] } | null)?.items ?? [])) as {
      name?: string;
    }[];
    const names = new Set(list.map((x) => x.name));
    for (const slo of DEMO_CATALOG.slos.filter((x) => x.service === s.slug)) {
      if (names.has(slo.name)) {
        existing.push(`SLO ${s.slug}/${slo.name}`);
        continue;
      }
      try {
        const r = await call(api, "POST", "/api/v1/slos", { json: slo, okStatuses: [409] });
        (r.status === 409 ? existing : created).push(`SLO ${s.slug}/${slo.name}`);
      } catch (e) {
        // A refused SLO (e.g. validation changed) should not stop the demo traffic.
        if (e instanceof ApiError && !e.transient)
          log(`warning: SLO '${slo.name}' not created: ${e.message}`);
        else throw e;
      }
    }
  }
  return { created, existing };
}
