import { TeamResponse } from "@burnrate/contracts";
import { useQuery } from "@tanstack/react-query";
import { client } from "../client";
import { keys } from "../query-keys";
import { request } from "../request";
import { RECENT_DEPLOYMENTS } from "./recent-events";

export const useService = (slug: string) =>
  useQuery({ queryKey: keys.service(slug), queryFn: () => client.services.get(slug), enabled: slug !== "" });

export const useDeployments = (service: string) =>
  useQuery({
    queryKey: keys.deployments(service),
    queryFn: () => client.services.deployments(service, RECENT_DEPLOYMENTS),
    enabled: service !== "",
  });

/** One team (a 404 when there is none: the team page says "not found"). */
export const useTeam = (slug: string) =>
  useQuery({
    queryKey: ["team", slug] as const,
    queryFn: () => request(TeamResponse, `/api/v1/teams/${encodeURIComponent(slug)}`),
    enabled: slug !== "",
  });
