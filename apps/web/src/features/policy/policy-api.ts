import {
  EnactmentResponse,
  PolicyResponse,
  ReleaseGateResponse,
  type PutPolicyBody,
} from "@burnrate/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { ApiError, api } from "../../api/client";

export const usePolicy = (team: string) =>
  useQuery({
    queryKey: ["policy", team],
    queryFn: async () => {
      try {
        return await api(PolicyResponse, `/api/v1/teams/${team}/policy`);
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null; // no policy yet
        throw e;
      }
    },
  });
export const useEnactments = (team: string) =>
  useQuery({
    queryKey: ["enactments", team],
    queryFn: () => api(z.array(EnactmentResponse), `/api/v1/teams/${team}/policy/enactments?limit=200`),
    refetchInterval: 30_000,
  });
export const useReleaseGate = (service: string, region: string) =>
  useQuery({
    queryKey: ["gate", service, region],
    queryFn: () => api(ReleaseGateResponse, `/api/v1/release-gate?service=${service}&region=${region}`),
    enabled: !!service && !!region,
    refetchInterval: 30_000,
  });

/** Writes that refresh the policy views when they succeed. */
export function usePolicyWrites(team: string) {
  const qc = useQueryClient();
  const done = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: ["policy", team] }),
      qc.invalidateQueries({ queryKey: ["enactments", team] }),
    ]);
  return {
    put: useMutation({
      mutationFn: (body: Omit<PutPolicyBody, "agreedBy" | "silverBulletsPerYear"> & Partial<PutPolicyBody>) =>
        api(PolicyResponse, `/api/v1/teams/${team}/policy`, { method: "PUT", json: body }),
      onSuccess: done,
    }),
    enact: useMutation({
      mutationFn: (b: { conditionId: string; reason: string }) =>
        api(EnactmentResponse, `/api/v1/teams/${team}/policy/enactments`, { method: "POST", json: b }),
      onSuccess: done,
    }),
    close: useMutation({
      mutationFn: (b: { id: string; reason: string }) =>
        api(EnactmentResponse, `/api/v1/teams/${team}/policy/enactments/${b.id}/close`, {
          method: "POST",
          json: { reason: b.reason },
        }),
      onSuccess: done,
    }),
  };
}

/** The book's starting point (ch.10), for a team that has no policy yet. */
export const POLICY_TEMPLATE = {
  scope: "All production services of the team and their SLOs in every production region",
  purpose: "Decide between reliability work and feature work with the error budget, agreed in advance",
  conditions: [
    {
      id: "consumed-70",
      type: "consumed",
      percent: 70,
      consequences: [{ type: "release_freeze", regions: [] }],
    },
    { id: "fast-burn", type: "burned_within", percent: 30, hours: 24, consequences: [{ type: "notify" }] },
    {
      id: "slow-burn",
      type: "burned_within",
      percent: 50,
      hours: 168,
      consequences: [{ type: "work_item", text: "Plan reliability work in the next sprint" }],
    },
    {
      id: "exhausted",
      type: "exhausted",
      consequences: [
        { type: "release_freeze", regions: [] },
        { type: "manual", text: "Only fixes and reliability work until the budget recovers" },
      ],
    },
  ],
  escalation: "When the team cannot agree, the head of engineering decides within two working days",
  nextReviewAt: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10),
};
