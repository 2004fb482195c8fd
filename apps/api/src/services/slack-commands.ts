import { ValidationError } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import { renderOncallAnswer } from "@burnrate/slack";
import { holdersAt } from "@burnrate/slo-core";
import { controlCharacterError, findControlCharacter } from "./control-characters";
import { listScheduleRows, scheduleModel } from "./schedules/schedule-model";
import { acceptSlackRequest } from "./slack-requests";

const USAGE =
  "Usage: `/burnrate oncall <team>` tells who is on call now for a team, e.g. `/burnrate oncall payments`.";

/**
 * Slack's signed slash command: `/burnrate oncall <team>` answers who holds each position of the team's
 * schedules now (its own and its domains'). The answer is ephemeral; a mistake gets the usage, not an error.
 */
export async function handleSlackCommand(deps: {
  db: Db;
  signingSecret: string | undefined;
  rawBody: string;
  timestamp: string | undefined;
  signature: string | undefined;
  publicUrl: string;
  nowMs: number;
}): Promise<{ response_type: "ephemeral"; text: string; blocks?: Record<string, unknown>[] }> {
  await acceptSlackRequest(deps, "commands");
  const text = new URLSearchParams(deps.rawBody).get("text") ?? "";
  const hostile = findControlCharacter({ text }, "body");
  if (hostile) throw controlCharacterError(hostile);
  if (text.length > 500) throw new ValidationError("body field 'text': at most 500 characters");
  const [verb, slug, ...rest] = text.trim().split(/\s+/);
  if (verb?.toLowerCase() !== "oncall" || !slug || rest.length > 0)
    return { response_type: "ephemeral", text: USAGE };
  const team = await deps.db.team.findUnique({ where: { slug: slug.toLowerCase() } });
  if (!team) {
    const known = await deps.db.team.findMany({ select: { slug: true }, orderBy: { slug: "asc" }, take: 20 });
    return {
      response_type: "ephemeral",
      text: `No team '${slug}'. Teams: ${known.map((t) => t.slug).join(", ") || "none yet"}.`,
    };
  }
  const rows = await listScheduleRows(deps.db, { teamId: team.id });
  const schedules = [];
  for (const row of rows) {
    const { model, people } = await scheduleModel(deps.db, row, deps.nowMs);
    const holders = holdersAt(model, deps.nowMs);
    schedules.push({
      name: row.name,
      timeZone: row.timeZone,
      positions: model.positions.map((position) => {
        const h = holders[position];
        return { position, person: h ? (people.get(h.member) ?? null) : null };
      }),
    });
  }
  return renderOncallAnswer({
    team: { slug: team.slug, name: team.name },
    schedules,
    scheduleUrl: `${deps.publicUrl.replace(/\/$/, "")}/oncall`,
  });
}
