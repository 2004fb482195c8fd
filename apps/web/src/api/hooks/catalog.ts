import {
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
  type QueryKey,
} from "@tanstack/react-query";
import type { DeploymentResponse } from "@burnrate/contracts";
import { catalog } from "../catalog";
import { keys } from "../query-keys";
import { withRecentEvent } from "./recent-events";

/**
 * A write whose success refreshes every cache under the given key prefixes (lists, pages and charts that show
 * what was written). `seed` first puts the API's answer into the caches that list it, so the page shows what was
 * written at once, even when the refetch is slow or fails.
 */
export function useWrite<A, R>(
  fn: (args: A) => Promise<R>,
  refresh: readonly QueryKey[],
  seed?: (qc: QueryClient, answer: R) => void,
) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (answer) => {
      seed?.(qc, answer);
      return Promise.all(refresh.map((queryKey) => qc.invalidateQueries({ queryKey })));
    },
  });
}

export const useServices = () => useQuery({ queryKey: keys.services, queryFn: catalog.services.list });
export const useRegions = () => useQuery({ queryKey: keys.regions, queryFn: catalog.regions.list });

/** Pages that show teams, services or regions by name: the overview's pickers, and the pages themselves. */
const CATALOG = [keys.teams, keys.services, keys.regions, keys.overviews, ["service"], ["members"]] as const;

export const useCreateTeam = () => useWrite(catalog.teams.create, CATALOG);
export const usePatchTeam = () =>
  useWrite(
    (a: { slug: string; body: Parameters<typeof catalog.teams.patch>[1] }) =>
      catalog.teams.patch(a.slug, a.body),
    CATALOG,
  );
export const usePutMember = () =>
  useWrite(
    (a: { team: string; body: Parameters<typeof catalog.teams.putMember>[1] }) =>
      catalog.teams.putMember(a.team, a.body),
    CATALOG,
  );
export const useRemoveMember = () =>
  useWrite((a: { team: string; email: string }) => catalog.teams.removeMember(a.team, a.email), CATALOG);
export const useCreateService = () => useWrite(catalog.services.create, CATALOG);
export const usePatchService = () =>
  useWrite(
    (a: { slug: string; body: Parameters<typeof catalog.services.patch>[1] }) =>
      catalog.services.patch(a.slug, a.body),
    CATALOG,
  );
export const useAddEndpoint = () =>
  useWrite(
    (a: { service: string; endpoint: string }) =>
      catalog.services.addEndpoint(a.service, { endpoint: a.endpoint }),
    CATALOG,
  );
export const useRemoveEndpoint = () => useWrite(catalog.services.removeEndpoint, CATALOG);
export const usePatchRegion = () =>
  useWrite(
    (a: { slug: string; body: Parameters<typeof catalog.regions.patch>[1] }) =>
      catalog.regions.patch(a.slug, a.body),
    CATALOG,
  );
export const useRevokeToken = () => useWrite(catalog.tokens.revoke, [keys.tokens]);
export const useCreateSilence = () => useWrite(catalog.silences.create, [keys.silences, keys.alerts]);
export const useEndSilence = () => useWrite(catalog.silences.end, [keys.silences, keys.alerts]);
/** A deployment, maintenance window or annotation: every chart and list of markers refreshes. */
export const useCreateEvent = () =>
  useWrite(
    catalog.events.create,
    [["deployments"], ["series"], ["status"], ["service"], keys.overviews],
    (qc, event) =>
      qc.setQueryData<DeploymentResponse[]>(keys.deployments(event.service), (list) =>
        list === undefined ? undefined : withRecentEvent(list, event),
      ),
  );

/** Which SLOs meet a policy's conditions now (nothing is saved); null conditions: not asked. */
export const usePolicyDryRun = (team: string, body: Parameters<typeof catalog.policy.dryRun>[1] | null) =>
  useQuery({
    queryKey: keys.policyDryRun(team, body),
    queryFn: () => catalog.policy.dryRun(team, body!),
    enabled: team !== "" && body !== null,
    placeholderData: (previous) => previous,
  });
