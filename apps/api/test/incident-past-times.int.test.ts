import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MINUTE_MS } from "@burnrate/slo-core";
import { call, startStack, type Stack } from "./harness";

/**
 * A commander records afterwards what happened earlier: the opening and each update may carry a past time
 * (`at`), never in the future nor before the incident's start, and a state change never before the last
 * one. The detect, acknowledge and recover times follow the entries' times to the second.
 */
const T0 = Date.UTC(2020, 11, 1, 16, 0, 0);
const min = (m: number) => new Date(T0 + m * MINUTE_MS).toISOString();

describe("incident entries at a past time", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ now: () => T0 });
    await call(stack, "POST", "/api/v1/teams", { slug: "web", name: "Web" });
    await call(stack, "POST", "/api/v1/services", { slug: "shop", name: "Shop", team: "web" });
  });
  afterAll(async () => stack?.stop());

  it("refuses an opening in the future or before the start, naming 'at'", async () => {
    const base = { title: "Checkout fails", services: ["shop"], startedAt: min(-60) };
    for (const at of [min(1), min(-61), "yesterday"]) {
      const res = await call(stack, "POST", "/api/v1/incidents", { ...base, at });
      expect(res.status, at).toBe(400);
      expect(res.body!.error.message).toContain("at");
      expect(res.body!.error.field ?? res.body!.error.message).toContain("at");
    }
  });

  it("records the opening, the updates and the resolution at their own past times", async () => {
    const opened = await call(stack, "POST", "/api/v1/incidents", {
      title: "Card payments fail at checkout",
      services: ["shop"],
      startedAt: min(-52),
      at: min(-46),
      message: "Checkout answers 5xx.",
    });
    expect(opened.status).toBe(201);
    const id = opened.body!.id as string;
    const update = (body: object) => call(stack, "POST", `/api/v1/incidents/${id}/updates`, body);

    // in the future, before the start: refused, nothing written
    for (const at of [min(2), min(-53)]) {
      const res = await update({ message: "note", at });
      expect(res.status, at).toBe(400);
      expect(res.body!.error.message).toContain("body field 'at'");
    }
    expect(
      (await update({ state: "identified", message: "Release 2.14.0 rejects saved cards.", at: min(-38) }))
        .status,
    ).toBe(200);
    // a note about something earlier may come later; a state change may not go back before the last one
    expect((await update({ message: "Support saw the first tickets.", at: min(-49) })).status).toBe(200);
    const early = await update({ state: "monitoring", message: "Rolled back.", at: min(-40) });
    expect(early.status).toBe(400);
    expect(early.body!.error.message).toContain("last one");
    expect((await update({ state: "monitoring", message: "Rolled back.", at: min(-24) })).status).toBe(200);
    const resolved = await update({ state: "resolved", message: "Healthy for 20 minutes.", at: min(-4) });
    expect(resolved.status).toBe(200);
    const inc = resolved.body!;
    expect(inc.startedAt).toBe(min(-52));
    expect(inc.detectedAt).toBe(min(-46));
    expect(inc.acknowledgedAt).toBe(min(-46));
    expect(inc.resolvedAt).toBe(min(-4));
    expect(inc.ttdMinutes).toBe(6);
    expect(inc.ttrMinutes).toBe(48);
    const own = (inc.timeline as { kind: string; at: string; message: string | null }[]).filter((e) =>
      ["opened", "update", "state"].includes(e.kind),
    );
    expect(own.map((e) => [e.kind, e.at])).toEqual(
      [
        ["opened", min(-46)],
        ["update", min(-38)],
        ["state", min(-38)],
        ["update", min(-49)],
        ["update", min(-24)],
        ["state", min(-24)],
        ["update", min(-4)],
        ["state", min(-4)],
      ].sort((a, b) => a[1]!.localeCompare(b[1]!)),
    );
  });
});
