import type { DeploymentResponse } from "@burnrate/contracts";

/** How many of a service's deployments, maintenance windows and annotations its lists show. */
export const RECENT_DEPLOYMENTS = 20;

/**
 * A service's recent events with `event` (just recorded) in its place: newest `at` first, as the API lists them,
 * at most RECENT_DEPLOYMENTS, once each (an event already listed is replaced by the answer).
 */
export function withRecentEvent(
  list: readonly DeploymentResponse[],
  event: DeploymentResponse,
): DeploymentResponse[] {
  const at = Date.parse(event.at);
  const others = list.filter((d) => d.id !== event.id);
  const i = others.findIndex((d) => Date.parse(d.at) < at);
  const out = i === -1 ? [...others, event] : [...others.slice(0, i), event, ...others.slice(i)];
  return out.slice(0, RECENT_DEPLOYMENTS);
}
