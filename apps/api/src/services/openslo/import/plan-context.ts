/** What the planning steps of an import share: the file, the rows it is compared with, and its problems. */
import type { CreateSloBody, SloResponse } from "@burnrate/contracts";
import type { Prisma } from "@burnrate/db";
import type { Actor } from "../../../auth/actor";
import type { DocRef, ParsedOpenSlo } from "../parse";
import type { FieldChange } from "./types";

export type ServiceRow = Prisma.ServiceGetPayload<{ include: { team: true } }>;

export interface PlanContext {
  actor: Actor | null;
  parsed: ParsedOpenSlo;
  /** The stored services the file names (as Service documents or as the service of an SLO), by slug. */
  svcRows: Map<string, ServiceRow>;
  /** Records a problem of the plan; all of them are reported before anything is written. */
  fail: (src: DocRef, field: string, message: string) => void;
}

/** A team the file needs: the owner of a service, or the team of a Slack channel. */
export interface TeamPlan {
  slug: string;
  id: string | null;
  slackChannel: string | null;
  wantChannel?: string;
  source: DocRef;
}

export interface SloPlan {
  input: CreateSloBody;
  current: SloResponse | null;
  fields: FieldChange[];
}

/** The owning team of a service: as the file says, else as stored. */
export function teamOfService(ctx: PlanContext, slug: string): string | null {
  return ctx.parsed.services.find((s) => s.slug === slug)?.team ?? ctx.svcRows.get(slug)?.team.slug ?? null;
}
