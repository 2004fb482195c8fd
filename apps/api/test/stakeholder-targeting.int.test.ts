import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startStack, waitFor, type Stack } from "./harness";
import { startSmtpSink } from "./smtp-sink";

/**
 * The targeting matrix (book §8.3–8.6, Tbl 8.4): a ring's groups cover cells of geography/environment ×
 * products, and a bracket message reaches exactly the groups whose cells cover its geography and products
 * ("worldwide" and "all" match everything), besides the ring's own lists. Burnrate users subscribed to a
 * group are told by email and by Slack direct message.
 */
const T0 = Date.UTC(2020, 11, 1, 15, 0, 0);

describe("stakeholder targeting matrix", () => {
  let stack: Stack;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let incidents = 0;

  /** Opens an incident and sends ring 1 its first message with this geography and these products. */
  async function first(geography: string | undefined, products: string[] | undefined) {
    const inc = await call(stack, "POST", "/api/v1/incidents", {
      title: `Uploads stopped ${++incidents}`,
      services: ["upload"],
    });
    const res = await call(stack, "POST", `/api/v1/incidents/${inc.body!.id as string}/notifications`, {
      ring: 1,
      kind: "first",
      ...(geography ? { geography } : {}),
      ...(products ? { products } : {}),
      message: `Uploads stopped (${incidents}).`,
      nextUpdateInMinutes: 60,
    });
    expect(res.status).toBe(201);
    return res.body!;
  }

  beforeAll(async () => {
    sink = await startSmtpSink();
    stack = await startStack({ worker: true, evalEveryMs: 500, now: () => T0, smtpUrl: sink.url });
    await call(stack, "POST", "/api/v1/teams", { slug: "pos", name: "Point of sale" });
    await call(stack, "POST", "/api/v1/services", { slug: "upload", name: "Upload", team: "pos" });
    for (const email of ["ana@example.com", "bo@example.com"])
      expect(
        (
          await call(stack, "POST", "/api/v1/users", {
            email,
            name: email.split("@")[0],
            password: "a long password",
          })
        ).status,
      ).toBe(201);
    expect(
      (
        await call(stack, "POST", "/api/v1/stakeholder-rings", {
          number: 1,
          name: "Product management",
          emails: ["pm@example.com"],
        })
      ).status,
    ).toBe(201);
    const groups = [
      {
        name: "Europe showcase",
        geographies: ["Europe"],
        products: ["showcase"],
        emails: ["eu@example.com"],
      },
      { name: "Everyone", slackChannels: ["#all-products"], users: ["ana@example.com"] },
      {
        name: "US payments",
        geographies: ["US", "staging"],
        products: ["payments", "showcase"],
        emails: ["us@example.com"],
        users: ["BO@example.com"],
      },
    ];
    for (const g of groups) {
      const res = await call(stack, "POST", "/api/v1/stakeholder-groups", { ring: 1, ...g });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => {
    await stack?.stop();
    await sink?.stop();
  });

  it("lists the groups with their cells and subscribers", async () => {
    const list = await call(stack, "GET", "/api/v1/stakeholder-groups");
    expect(list.status).toBe(200);
    expect(
      list.body!.map(
        (g: { name: string; geographies: string[]; products: string[]; users: { email: string }[] }) => [
          g.name,
          g.geographies,
          g.products,
          g.users.map((u) => u.email),
        ],
      ),
    ).toEqual([
      ["Europe showcase", ["Europe"], ["showcase"], []],
      ["Everyone", ["worldwide"], ["all"], ["ana@example.com"]],
      ["US payments", ["US", "staging"], ["payments", "showcase"], ["bo@example.com"]],
    ]);
  });

  it("refuses bad groups with a 400 naming the field", async () => {
    const cases: [object, string][] = [
      [{ ring: 9, name: "x" }, "ring"],
      [{ ring: 1, name: "x", users: ["nobody@example.com"] }, "users"],
      [{ ring: 1, name: "x", geographies: [] }, "geographies"],
      [{ ring: 1, name: "x", products: [""] }, "products"],
      [{ ring: 1, name: "x", emails: ["not-an-email"] }, "emails"],
      [{ ring: 1, name: "" }, "name"],
    ];
    for (const [body, field] of cases) {
      const res = await call(stack, "POST", "/api/v1/stakeholder-groups", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body!.error.message).toContain(field);
    }
    const dup = await call(stack, "POST", "/api/v1/stakeholder-groups", { ring: 1, name: "Everyone" });
    expect(dup.status).toBe(409);
  });

  it("reaches exactly the groups whose cells cover the message", async () => {
    const eu = await first("europe", ["Showcase"]);
    expect(eu.recipients).toMatchObject({
      groups: ["Europe showcase", "Everyone"],
      slackChannels: ["all-products"],
      emails: ["pm@example.com", "eu@example.com"],
    });
    expect(eu.recipients.users.map((u: { email: string }) => u.email)).toEqual(["ana@example.com"]);
    const staging = await first("staging", ["payments"]);
    expect(staging.recipients.groups).toEqual(["Everyone", "US payments"]);
    expect(staging.recipients.emails).toEqual(["pm@example.com", "us@example.com"]);
    const asia = await first("Asia", ["payments"]);
    expect(asia.recipients.groups).toEqual(["Everyone"]);
    // worldwide and all products (the defaults) reach every group
    const world = await first(undefined, undefined);
    expect(world.recipients.groups).toEqual(["Europe showcase", "Everyone", "US payments"]);
    expect(world.recipients.users.map((u: { email: string }) => u.email)).toEqual([
      "ana@example.com",
      "bo@example.com",
    ]);
    const euPayments = await first("Europe", ["payments"]);
    expect(euPayments.recipients.groups).toEqual(["Everyone"]);

    // delivered: emails (users included) once per address, the group's channel, and a DM to each user
    const expected = new Map<string, string[]>([
      [eu.id, ["ana@example.com", "eu@example.com", "pm@example.com"]],
      [staging.id, ["ana@example.com", "bo@example.com", "pm@example.com", "us@example.com"]],
      [asia.id, ["ana@example.com", "pm@example.com"]],
      [world.id, ["ana@example.com", "bo@example.com", "eu@example.com", "pm@example.com", "us@example.com"]],
      [euPayments.id, ["ana@example.com", "pm@example.com"]],
    ]);
    const total = [...expected.values()].reduce((n, l) => n + l.length, 0);
    await waitFor("every email", async () => sink.mails.length >= total, 30_000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(sink.mails.length).toBe(total);
    for (const [id, to] of expected)
      expect(
        sink.mails
          .filter((m) => m.messageId.includes(`stakeholder-${id}-email-`))
          .map((m) => m.to[0])
          .sort(),
      ).toEqual(to);
    expect(stack.slack.topLevel("all-products")).toHaveLength(5);
    const dmOf = (email: string) => `D${stack.slack.userOf(email).slice(1)}`;
    await waitFor(
      "the direct messages",
      async () => stack.slack.topLevel(dmOf("bo@example.com")).length >= 2,
      30_000,
    );
    expect(stack.slack.topLevel(dmOf("ana@example.com"))).toHaveLength(5);
    const bo = stack.slack.topLevel(dmOf("bo@example.com"));
    expect(bo).toHaveLength(2);
    expect(bo.map((m) => m.text).join("\n")).toContain("staging · payments");
  });

  it("edits and deletes a group; the matrix changes the next message's recipients", async () => {
    const list = await call(stack, "GET", "/api/v1/stakeholder-groups");
    const us = list.body!.find((g: { name: string }) => g.name === "US payments") as { id: string };
    const bad = await call(stack, "PATCH", `/api/v1/stakeholder-groups/${us.id}`, {
      users: ["x@example.com"],
    });
    expect(bad.status).toBe(400);
    expect(bad.body!.error.message).toContain("users");
    const moved = await call(stack, "PATCH", `/api/v1/stakeholder-groups/${us.id}`, {
      geographies: ["Asia"],
    });
    expect(moved.status).toBe(200);
    expect((await first("Asia", ["payments"])).recipients.groups).toEqual(["Everyone", "US payments"]);
    expect((await call(stack, "DELETE", `/api/v1/stakeholder-groups/${us.id}`)).status).toBe(204);
    expect((await first("Asia", ["payments"])).recipients.groups).toEqual(["Everyone"]);
    expect((await call(stack, "DELETE", `/api/v1/stakeholder-groups/${us.id}`)).status).toBe(404);
  });
});
