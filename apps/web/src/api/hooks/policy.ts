import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { client, type PutPolicyInput } from "../client";
import { keys } from "../query-keys";
import { LIVE_REFRESH_MS } from "../refresh-intervals";

/** Enactments listed on a policy page. */
const ENACTMENTS_SHOWN = 200;

/** A team's error budget policy; null when it has none yet. */
export const usePolicy = (team: string) =>
  useQuery({ queryKey: keys.policy(team), queryFn: () => client.policy.get(team) });

export const useEnactments = (team: string) =>
  useQuery({
    queryKey: keys.enactments(team),
    queryFn: () => client.policy.enactments(team, ENACTMENTS_SHOWN),
    refetchInterval: LIVE_REFRESH_MS,
  });

/** What a pipeline would get from the release gate for one service and region. */
export const useReleaseGate = (service: string, region: string) =>
  useQuery({
    queryKey: keys.releaseGate(service, region),
    queryFn: () => client.policy.releaseGate(service, region),
    enabled: !!service && !!region,
    refetchInterval: LIVE_REFRESH_MS,
  });

/** Writes to a team's policy; each refreshes the policy and its enactments when it succeeds. */
export function usePolicyWrites(team: string) {
  const qc = useQueryClient();
  const done = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: keys.policy(team) }),
      qc.invalidateQueries({ queryKey: keys.enactments(team) }),
    ]);
  return {
    put: useMutation({
      mutationFn: (body: PutPolicyInput) => client.policy.put(team, body),
      onSuccess: done,
    }),
    enact: useMutation({
      mutationFn: (b: { conditionId: string; reason: string }) => client.policy.enact(team, b),
      onSuccess: done,
    }),
    close: useMutation({
      mutationFn: (b: { id: string; reason: string }) => client.policy.close(team, b.id, b.reason),
      onSuccess: done,
    }),
  };
}
