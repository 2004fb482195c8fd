/**
 * An SLO's alertPolicies (each an alertPolicyRef to an AlertPolicy of the file, or an inline AlertPolicy) →
 * Burnrate alerting: one tier per policy, plus the SLO's low-traffic guards and no-data time.
 */
import type { CreateSloBody } from "@burnrate/contracts";
import {
  WORKBOOK_TIERS,
  denormalizeAlerting,
  formatMinutes,
  normalizeAlerting,
  type TierSpec,
  type WindowSpec,
} from "../model";
import { readTier, type PolicyPart } from "./alert-condition";
import { ann } from "./annotations";
import { isObj, ref, type Doc, type ParseScope } from "./document";
import { Ctx } from "./issues";

/** "fast-page 1h/5m, …": the default tiers, as the warning for an SLO without policies names them. */
const DEFAULT_TIERS = WORKBOOK_TIERS.map(
  (t) => `${t.name} ${formatMinutes(t.longWindowMinutes)}/${formatMinutes(t.shortWindowMinutes)}`,
).join(", ");

export function readAlerting(
  d: Doc,
  c: Ctx,
  service: string,
  window: WindowSpec | null,
  scope: ParseScope,
): CreateSloBody["alerting"] | null {
  const s = d.spec;
  const none = ann(d.metadata, "alerting");
  if (none !== undefined && none !== "none")
    return c.err("metadata.annotations.burnrate.io/alerting", `must be 'none' (got '${none}')`);
  const list = s.alertPolicies ?? [];
  if (!Array.isArray(list)) return c.err("spec.alertPolicies", "must be a list");
  if (none !== undefined && list.length > 0)
    return c.err(
      "metadata.annotations.burnrate.io/alerting",
      "'none' says the SLO alerts on nothing, but spec.alertPolicies lists policies",
    );
  if (none === undefined && list.length === 0)
    c.warn(
      "spec.alertPolicies",
      `none given: the SLO alerts with Burnrate's default tiers (${DEFAULT_TIERS}); set the annotation burnrate.io/alerting: none for no alerts`,
    );
  const tiers: TierSpec[] = [];
  let ok = true;
  list.forEach((item, i) => {
    const path = `spec.alertPolicies[${i}]`;
    let pd: PolicyPart;
    if (isObj(item) && item.alertPolicyRef !== undefined) {
      const p = scope.get("AlertPolicy", item.alertPolicyRef);
      if (!p) {
        ok = !!c.err(
          `${path}.alertPolicyRef`,
          `no AlertPolicy named ${JSON.stringify(item.alertPolicyRef)} in this file`,
        );
        return;
      }
      pd = { metadata: p.metadata, spec: p.spec, c: new Ctx(ref(p), scope.out), prefix: "", name: p.name };
    } else if (isObj(item) && isObj(item.metadata) && isObj(item.spec)) {
      pd = {
        metadata: item.metadata,
        spec: item.spec,
        c,
        prefix: `${path}.`,
        name: String(item.metadata.name ?? `policy-${i + 1}`),
      };
    } else {
      ok = !!c.err(path, "must be {alertPolicyRef: name} or an inline AlertPolicy {kind, metadata, spec}");
      return;
    }
    const t = readTier(pd, service, window, scope);
    if (t) tiers.push(t);
    else ok = false;
  });
  if (!ok) return null;
  const lt = [ann(d.metadata, "min-short-window-events"), ann(d.metadata, "min-long-window-bad")];
  const lowTraffic =
    lt[0] !== undefined || lt[1] !== undefined
      ? { minShortWindowEvents: Number(lt[0] ?? 10), minLongWindowBad: Number(lt[1] ?? 3) }
      : null;
  if (lowTraffic && !Object.values(lowTraffic).every((v) => Number.isInteger(v) && v >= 0 && v <= 1_000_000))
    return c.err(
      "metadata.annotations.burnrate.io/min-short-window-events",
      "low-traffic guards are integers from 0 to 1000000",
    );
  const nd = ann(d.metadata, "no-data-minutes");
  const noDataMinutes = nd === undefined ? null : Number(nd);
  if (
    noDataMinutes !== null &&
    !(Number.isInteger(noDataMinutes) && noDataMinutes >= 5 && noDataMinutes <= 10080)
  )
    return c.err("metadata.annotations.burnrate.io/no-data-minutes", "must be an integer from 5 to 10080");
  const tierNames = new Set<string>();
  for (const t of tiers) {
    if (tierNames.has(t.name))
      return c.err("spec.alertPolicies", `two alert policies define the tier '${t.name}'`);
    tierNames.add(t.name);
  }
  if (tiers.length > 10) return c.err("spec.alertPolicies", "at most 10 alert tiers per SLO");
  const normal = normalizeAlerting({
    // no policies: the default tiers, unless burnrate.io/alerting says none
    ...(list.length > 0 || none !== undefined ? { tiers } : {}),
    lowTraffic: lowTraffic ?? undefined,
    ...(noDataMinutes !== null ? { noDataMinutes } : {}),
  });
  return denormalizeAlerting(normal);
}
