import { fakeUserId } from "@burnrate/slack/testing";
import { expect } from "vitest";
import { alertsOf, ingest, traffic } from "./alerting-helpers";
import { call, waitFor, type Stack } from "./harness";
import type { startSmtpSink } from "./smtp-sink";

const MINUTE = 60_000;
/** The book's Fig. 8.2 chain, minutes read as seconds: main, backup after 4 s, team after 8 s more, … */
export const TIMEOUTS = [4, 8, 16, 4];
/** Every notification must arrive within this of its due time. */
export const TOLERANCE_MS = 5_000;
export const PEOPLE = ["ann", "ben", "cat", "dan"] as const;
export const email = (n: string) => `${n}@example.com`;
/** The fake Slack's DM channel of a person (conversations.open answers D + the user id's tail). */
export const dmChannel = (n: string) => `D${fakeUserId(email(n)).slice(1)}`;

export type Sink = Awaited<ReturnType<typeof startSmtpSink>>;

export async function addPeople(
  stack: Stack,
  team: string,
  names: readonly string[],
  inTeam: readonly string[],
) {
  for (const n of names)
    expect(
      (await call(stack, "POST", "/api/v1/users", { email: email(n), name: n, password: "a long password" }))
        .status,
    ).toBe(201);
  for (const n of inTeam)
    expect(
      (await call(stack, "PUT", `/api/v1/teams/${team}/members`, { email: email(n), role: "editor" })).status,
    ).toBe(200);
}

/** Fails every request of a service for the last 10 minutes (of `nowMs`): the 50× page tier fires. */
export async function burn(stack: Stack, service: string, nowMs: number, region = "prod-eu") {
  await ingest(
    stack,
    service,
    traffic(nowMs - 10 * MINUTE, nowMs, 300, 1).map((r) => ({ ...r, region })),
  );
}

/** An SLO that has been there a while: its history is computed (a new SLO's backfill competes for the CPU). */
export async function settled(stack: Stack, sloId: string) {
  await waitFor(
    "the SLO's backfill",
    async () => (await call(stack, "GET", `/api/v1/slos/${sloId}`)).body!.backfillPercent === 100,
    60_000,
  );
}

export async function firedAlert(stack: Stack, sloId: string) {
  const a = await waitFor(
    "the page",
    async () => (await alertsOf(stack, sloId)).find((x) => x.severity === "page" && x.state === "firing"),
    60_000,
  );
  const full = await call(stack, "GET", `/api/v1/alerts/${a.id}`);
  return { id: a.id, firedMs: Date.parse(full.body!.firedAt as string) };
}

/** Who got a DM and when, in order: [name, ms after t0]. */
export function dms(stack: Stack, t0: number, names: readonly string[] = PEOPLE): [string, number][] {
  const byChannel = new Map(names.map((n) => [dmChannel(n), n] as const));
  return stack.slack.calls
    .filter((c) => c.method === "chat.postMessage" && byChannel.has(String(c.body.channel)))
    .map((c) => [byChannel.get(String(c.body.channel))!, c.at - t0]);
}

/** Each person's notices in their order, each within the tolerance of its due time (a step's people at once). */
export function expectOnTime(gotInOrder: [string, number][], wantInOrder: [string, number][]) {
  const byPerson = (a: [string, number], b: [string, number]) => a[0].localeCompare(b[0]) || a[1] - b[1];
  const got = [...gotInOrder].sort(byPerson);
  const want = [...wantInOrder].sort(byPerson);
  expect(got.map(([n]) => n)).toEqual(want.map(([n]) => n));
  got.forEach(([n, ms], i) => {
    const due = want[i]![1] * 1000;
    expect(Math.abs(ms - due), `${n}'s notice #${i} at ${ms} ms, due at ${due} ms`).toBeLessThanOrEqual(
      TOLERANCE_MS,
    );
  });
}
