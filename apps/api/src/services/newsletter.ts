import {
  ValidationError,
  type NewsletterPreviewResponse,
  type NewsletterSettings,
  type PutNewsletterSettingsBody,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import { isTimeZone } from "@burnrate/slo-core";
import {
  ORG_SCOPE,
  buildNewsletter,
  lastCompleteWeek,
  newsletterBlocks,
  newsletterHtml,
  newsletterText,
  newsletterTitle,
  nextSlot,
  weekOfDay,
} from "@burnrate/worker/newsletter";
import type { z } from "zod";
import type { Actor } from "../auth/actor";
import { assertAdmin, assertCanWriteTeam } from "../auth/permissions";
import { recordAudit } from "./audit";
import { findTeam } from "./teams/find-team";

/** A scope without a settings row: Mondays at 09:00 UTC (book Tbl 14.2), not sent until enabled. */
const DEFAULTS: NewsletterSettings = {
  enabled: false,
  weekday: 1,
  time: "09:00",
  timeZone: "UTC",
  slackChannel: null,
  emails: [],
};

type Team = { id: string; slug: string; name: string };

async function settingsOf(db: Db, scope: string): Promise<NewsletterSettings> {
  const row = await db.newsletterSetting.findUnique({ where: { scope } });
  if (!row) return DEFAULTS;
  return {
    enabled: row.enabled,
    weekday: row.weekday,
    time: row.time,
    timeZone: row.timeZone,
    slackChannel: row.slackChannel,
    emails: row.emails,
  };
}

/** The newsletter of a team (or, with no slug, of the organisation) for a week, as it would be sent. */
export async function previewNewsletter(deps: {
  db: Db;
  slug: string | null;
  week?: string;
  nowMs: number;
  publicUrl: string;
}): Promise<NewsletterPreviewResponse> {
  const team: Team | null = deps.slug ? await findTeam(deps.db, deps.slug) : null;
  const settings = await settingsOf(deps.db, team?.id ?? ORG_SCOPE);
  let week;
  if (deps.week) {
    const [y, m, d] = deps.week.split("-").map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
      throw new ValidationError("query field 'week': not a calendar date", { field: "week" });
    week = weekOfDay(deps.week, settings.timeZone);
  } else week = lastCompleteWeek(deps.nowMs, settings.timeZone);
  const content = await buildNewsletter({
    db: deps.db,
    team,
    week,
    publicUrl: deps.publicUrl,
    nowMs: deps.nowMs,
  });
  return {
    content,
    settings,
    nextSendAt: settings.enabled ? new Date(nextSlot(settings, deps.nowMs)).toISOString() : null,
    slack: { text: newsletterText(content), blocks: newsletterBlocks(content) },
    email: {
      subject: newsletterTitle(content),
      text: newsletterText(content),
      html: newsletterHtml(content),
    },
  };
}

export async function getNewsletterSettings(deps: {
  db: Db;
  slug: string | null;
}): Promise<NewsletterSettings> {
  const team = deps.slug ? await findTeam(deps.db, deps.slug) : null;
  return settingsOf(deps.db, team?.id ?? ORG_SCOPE);
}

/** Changes a newsletter's schedule or recipients: the team's editors for a team, an admin for the organisation. */
export async function putNewsletterSettings(deps: {
  db: Db;
  actor: Actor | null;
  slug: string | null;
  input: z.infer<typeof PutNewsletterSettingsBody>;
}): Promise<NewsletterSettings> {
  const team = deps.slug ? await findTeam(deps.db, deps.slug) : null;
  if (team) assertCanWriteTeam(deps.actor, team.id);
  else assertAdmin(deps.actor, "change the organisation's newsletter");
  if (deps.input.timeZone !== undefined && !isTimeZone(deps.input.timeZone))
    throw new ValidationError("body field 'timeZone': not an IANA time zone", { field: "timeZone" });
  const scope = team?.id ?? ORG_SCOPE;
  const before = await settingsOf(deps.db, scope);
  const next: NewsletterSettings = { ...before, ...deps.input };
  next.emails = [...new Set(next.emails.map((e) => e.trim().toLowerCase()))];
  if (next.slackChannel) next.slackChannel = next.slackChannel.replace(/^#/, "");
  await deps.db.newsletterSetting.upsert({ where: { scope }, create: { scope, ...next }, update: next });
  await recordAudit(deps.db, {
    actor: deps.actor,
    action: "update",
    entity: "newsletter",
    entityId: scope,
    teamId: team?.id ?? null,
    before,
    after: next,
  });
  return next;
}
