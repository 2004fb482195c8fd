import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ChannelSeverity, SsoGroupRole } from "@burnrate/contracts";
import { client, type PrioritiesInput } from "../client";
import { keys } from "../query-keys";

export const useTeams = () => useQuery({ queryKey: keys.teams, queryFn: client.teams.list });

export const useMembers = (team: string) =>
  useQuery({ queryKey: keys.members(team), queryFn: () => client.teams.members(team), enabled: team !== "" });

export const useTokens = () => useQuery({ queryKey: keys.tokens, queryFn: client.tokens.list });

/** Creates an API token (its secret is in this answer only); the token list refreshes. */
export function useCreateToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: client.tokens.create,
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.tokens }),
  });
}

export const useSlackSettings = () =>
  useQuery({ queryKey: keys.slackSettings, queryFn: client.settings.slack, retry: false });

/** Posts a test message to a team's Slack channel. */
export const useSlackTest = () => useMutation({ mutationFn: client.teams.slackTest });

export const usePriorities = () =>
  useQuery({ queryKey: keys.priorities, queryFn: client.settings.priorities });

/** Saves the org's incident priorities; the list refreshes. */
export function useSavePriorities() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (priorities: PrioritiesInput) => client.settings.putPriorities({ priorities }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.priorities }),
  });
}

export const usePostmortemSettings = () =>
  useQuery({ queryKey: keys.postmortemSettings, queryFn: client.settings.postmortems });

/** Saves the priorities that require a postmortem; the setting refreshes. */
export function useSavePostmortemSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: client.settings.putPostmortems,
    onSuccess: (data) => qc.setQueryData(keys.postmortemSettings, data),
  });
}

/** The weekly newsletter of a team (or the organisation, team null) as it would be sent. */
export const useNewsletter = (team: string | null, week: string | null) =>
  useQuery({ queryKey: keys.newsletter(team, week), queryFn: () => client.newsletter.preview(team, week) });
export const useSsoGroups = () =>
  useQuery({ queryKey: keys.ssoGroups, queryFn: client.settings.ssoGroups, retry: false });

/** Saves the org's single sign-on group mapping (null: back to the environment's); it refreshes. */
export function useSaveSsoGroups() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (groupRoles: SsoGroupRole[] | null) => client.settings.putSsoGroups({ groupRoles }),
    onSuccess: (data) => qc.setQueryData(keys.ssoGroups, data),
  });
}

/** Which incident severities get their own Slack channel: the organisation's, and the teams that chose their own. */
export const useIncidentChannels = () =>
  useQuery({ queryKey: keys.incidentChannels, queryFn: client.settings.incidentChannels });

/**
 * Saves the incident channel severities of the organisation (`team` null, org admins) or of one team (`severities`
 * null: the team follows the organisation again); the settings refresh from the answer.
 */
export function useSaveIncidentChannels() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { team: string | null; severities: ChannelSeverity[] | null }) =>
      v.team === null
        ? client.settings.putOrgIncidentChannels(v.severities ?? [])
        : client.settings.putTeamIncidentChannels(v.team, v.severities),
    onSuccess: (data) => qc.setQueryData(keys.incidentChannels, data),
  });
}
