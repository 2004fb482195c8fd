import {
  CreateDeploymentBody,
  CreateEndpointBody,
  CreateServiceBody,
  CreateSilenceBody,
  CreateTeamBody,
  DeploymentResponse,
  EndpointResponse,
  MemberResponse,
  PatchRegionBody,
  PatchServiceBody,
  PatchTeamBody,
  PolicyDryRunBody,
  PolicyDryRunResponse,
  PutMemberBody,
  RegionResponse,
  ServiceResponse,
  SilenceResponse,
  TeamResponse,
  TokenResponse,
} from "@burnrate/contracts";
import { z } from "zod";
import { request } from "./request";

const seg = encodeURIComponent;
const post = (json: unknown) => ({ method: "POST", json });
const patch = (json: unknown) => ({ method: "PATCH", json });
const del = { method: "DELETE" };
/** A 204 answer. */
const Empty = z.null();

export type CreateTeamInput = z.input<typeof CreateTeamBody>;
export type PatchTeamInput = z.input<typeof PatchTeamBody>;
export type PutMemberInput = z.input<typeof PutMemberBody>;
export type CreateServiceInput = z.input<typeof CreateServiceBody>;
export type PatchServiceInput = z.input<typeof PatchServiceBody>;
export type PatchRegionInput = z.input<typeof PatchRegionBody>;
export type CreateSilenceInput = z.input<typeof CreateSilenceBody>;
export type CreateDeploymentInput = z.input<typeof CreateDeploymentBody>;
export type PolicyDryRunInput = z.input<typeof PolicyDryRunBody>;

/** The writes of the catalog (teams, members, services, endpoints, regions), tokens, silences and events. */
export const catalog = {
  teams: {
    create: (body: CreateTeamInput) => request(TeamResponse, "/api/v1/teams", post(body)),
    patch: (slug: string, body: PatchTeamInput) =>
      request(TeamResponse, `/api/v1/teams/${seg(slug)}`, patch(body)),
    putMember: (team: string, body: PutMemberInput) =>
      request(MemberResponse, `/api/v1/teams/${seg(team)}/members`, { method: "PUT", json: body }),
    removeMember: (team: string, email: string) =>
      request(Empty, `/api/v1/teams/${seg(team)}/members/${seg(email)}`, del),
  },
  services: {
    list: () => request(z.array(ServiceResponse), "/api/v1/services?limit=500"),
    create: (body: CreateServiceInput) => request(ServiceResponse, "/api/v1/services", post(body)),
    patch: (slug: string, body: PatchServiceInput) =>
      request(ServiceResponse, `/api/v1/services/${seg(slug)}`, patch(body)),
    addEndpoint: (slug: string, body: z.input<typeof CreateEndpointBody>) =>
      request(EndpointResponse, `/api/v1/services/${seg(slug)}/endpoints`, post(body)),
    removeEndpoint: (id: string) => request(Empty, `/api/v1/endpoints/${seg(id)}`, del),
  },
  regions: {
    list: () => request(z.array(RegionResponse), "/api/v1/regions"),
    patch: (slug: string, body: PatchRegionInput) =>
      request(RegionResponse, `/api/v1/regions/${seg(slug)}`, patch(body)),
  },
  tokens: {
    revoke: (id: string) => request(TokenResponse, `/api/v1/tokens/${seg(id)}`, del),
  },
  silences: {
    create: (body: CreateSilenceInput) => request(SilenceResponse, "/api/v1/silences", post(body)),
    end: (id: string) => request(SilenceResponse, `/api/v1/silences/${seg(id)}`, del),
  },
  events: {
    create: (body: CreateDeploymentInput) => request(DeploymentResponse, "/api/v1/deployments", post(body)),
  },
  policy: {
    dryRun: (team: string, body: PolicyDryRunInput) =>
      request(PolicyDryRunResponse, `/api/v1/teams/${seg(team)}/policy/dry-run`, post(body)),
  },
};
