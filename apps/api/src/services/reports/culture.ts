import {
  ValidationError,
  type CultureAnswer,
  type CultureResponse,
  type PutCultureBody,
} from "@burnrate/contracts";
import { inTransaction, type Db } from "@burnrate/db";
import {
  WESTRUM_ASPECTS,
  WESTRUM_ASPECT_INFO,
  cultureMean,
  cultureType,
  quarterOf,
  type WestrumScores,
} from "@burnrate/slo-core";
import { actorLabel, type Actor } from "../../auth/actor";
import { assertCanWriteTeam } from "../../auth/permissions";
import { recordAudit } from "../audit";
import { findTeam } from "../teams/find-team";

type Row = {
  quarter: string;
  cooperation: number;
  messengers: number;
  responsibilities: number;
  bridging: number;
  failure: number;
  novelty: number;
  note: string | null;
  answeredBy: string;
  updatedAt: Date;
};

export const scoresOf = (r: Row): WestrumScores =>
  Object.fromEntries(WESTRUM_ASPECTS.map((k) => [k, r[k]])) as WestrumScores;

function toAnswer(team: string, r: Row): CultureAnswer {
  const scores = scoresOf(r);
  const mean = cultureMean(scores);
  return {
    team,
    quarter: r.quarter,
    scores,
    mean,
    type: cultureType(mean),
    note: r.note,
    answeredBy: r.answeredBy,
    updatedAt: r.updatedAt.toISOString(),
  };
}

const today = (nowMs: number) => new Date(nowMs).toISOString().slice(0, 10);

/** A team's self-assessments, one per quarter, oldest first, with the six aspects and their statements. */
export async function getCulture(deps: { db: Db; team: string; nowMs: number }): Promise<CultureResponse> {
  const team = await findTeam(deps.db, deps.team);
  const rows = await deps.db.cultureAssessment.findMany({
    where: { teamId: team.id },
    orderBy: { quarter: "asc" },
  });
  return {
    team: team.slug,
    currentQuarter: quarterOf(today(deps.nowMs)),
    aspects: WESTRUM_ASPECT_INFO.map((a) => ({ ...a })),
    quarters: rows.map((r) => toAnswer(team.slug, r)),
  };
}

/** Records the team's answers for a quarter (not a future one); answering again replaces them. */
export async function putCulture(deps: {
  db: Db;
  actor: Actor | null;
  team: string;
  quarter: string;
  input: PutCultureBody;
  nowMs: number;
}): Promise<CultureAnswer> {
  const { db, actor, input } = deps;
  const team = await findTeam(db, deps.team);
  assertCanWriteTeam(actor, team.id);
  const current = quarterOf(today(deps.nowMs));
  if (deps.quarter > current)
    throw new ValidationError(`quarter ${deps.quarter} is in the future (this is ${current})`, {
      field: "quarter",
    });
  const data = {
    ...Object.fromEntries(WESTRUM_ASPECTS.map((k) => [k, input[k]])),
    note: input.note || null,
    answeredBy: actorLabel(actor),
  } as Omit<Row, "quarter" | "updatedAt">;
  const key = { teamId_quarter: { teamId: team.id, quarter: deps.quarter } };
  const before = await db.cultureAssessment.findUnique({ where: key });
  const saved = await inTransaction(db, async (tx) => {
    const row = await tx.cultureAssessment.upsert({
      where: key,
      create: { teamId: team.id, quarter: deps.quarter, ...data },
      update: data,
    });
    await recordAudit(tx, {
      actor,
      action: before ? "update" : "create",
      entity: "culture_assessment",
      entityId: `${team.slug}/${deps.quarter}`,
      teamId: team.id,
      before: before ?? undefined,
      after: row,
    });
    return row;
  });
  return toAnswer(team.slug, saved);
}
