/** The OpenSLO Service kind → a Burnrate service (slug, name, owning team, failure statuses, runbook, tier). */
import { Slug, StatusSpec, expandStatuses } from "@burnrate/contracts";
import { z } from "zod";
import { ann, fullDescription, fullName, serviceSlugOf } from "./annotations";
import { isObj, ref, type Doc } from "./document";
import type { Ctx } from "./issues";
import type { ParsedOpenSlo } from "./types";

export function readService(d: Doc, c: Ctx, out: ParsedOpenSlo): void {
  const slug = serviceSlugOf(d);
  if (!Slug.safeParse(slug).success)
    return void c.err(
      slug === d.name ? "metadata.name" : "metadata.annotations.burnrate.io/slug",
      "a service name is its Burnrate slug: lowercase letters, digits and dashes",
    );
  const labels = isObj(d.metadata.labels) ? d.metadata.labels : {};
  let team: string | null = null;
  const t = labels.team;
  if (t !== undefined) {
    const v = Array.isArray(t) && t.length === 1 ? t[0] : t;
    if (typeof v !== "string" || !Slug.safeParse(v).success)
      return void c.err("metadata.labels.team", "must be one team slug (the owning team)");
    team = v;
  }
  let failureStatuses = expandStatuses(["500-599"]);
  const fs = ann(d.metadata, "failure-statuses");
  if (fs !== undefined) {
    const parts = fs
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean);
    const parsed = parts.map((p) => StatusSpec.safeParse(/^\d+$/.test(p) ? Number(p) : p));
    if (parts.length === 0 || parsed.some((p) => !p.success))
      return void c.err(
        "metadata.annotations.burnrate.io/failure-statuses",
        `must be status codes and ranges such as '429,500-599' (got '${fs}')`,
      );
    failureStatuses = expandStatuses(parsed.map((p) => p.data!));
  }
  const runbookUrl = ann(d.metadata, "runbook-url") ?? null;
  if (runbookUrl !== null && !z.url().safeParse(runbookUrl).success)
    return void c.err("metadata.annotations.burnrate.io/runbook-url", "must be a URL");
  const tierS = ann(d.metadata, "service-tier");
  const tier = tierS === undefined ? null : Number(tierS);
  if (tier !== null && !(Number.isInteger(tier) && tier >= 1 && tier <= 5))
    return void c.err("metadata.annotations.burnrate.io/service-tier", "must be an integer from 1 to 5");
  const name = fullName(d);
  if (name.length > 200) return void c.err("metadata.displayName", "must be at most 200 characters");
  const description = fullDescription(d);
  if (description !== null && description.length > 2000)
    return void c.err("spec.description", "must be at most 2000 characters");
  out.services.push({
    slug,
    name,
    team,
    description,
    runbookUrl,
    tier,
    failureStatuses,
    source: ref(d),
  });
}
