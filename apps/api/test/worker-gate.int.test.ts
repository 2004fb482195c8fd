import { QUEUE_NAME } from "@burnrate/jobs";
import { enqueueBusyJobs, ensureSchedules, scheduleSpecs } from "@burnrate/worker/schedules";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startStack, type Stack } from "./harness";

/**
 * The gate of the worker's gated jobs on real Postgres and Redis: nothing added while their tables are empty, a
 * job per slot once they hold work, one per slot whatever the number of workers looking, and the schedulers an
 * earlier release left for them removed.
 */
describe("the gated jobs", () => {
  let stack: Stack;
  const specs = scheduleSpecs(60_000);
  const jobIds = async () =>
    (await stack.queue.getJobs(["waiting", "delayed", "prioritized", "active", "completed"]))
      .map((j) => j.id!)
      .sort();

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.stop());

  it("adds nothing on an installation with no work", async () => {
    expect(await enqueueBusyJobs(stack.db, stack.queue, specs, Date.now())).toEqual({ added: [], busy: 0 });
    expect(await jobIds()).toEqual([]);
  });

  it("adds the incident jobs once an incident exists, once per slot for any number of workers", async () => {
    await call(stack, "POST", "/api/v1/teams", { slug: "web", name: "Web" });
    await call(stack, "POST", "/api/v1/services", { slug: "shop", name: "Shop", team: "web" });
    const opened = await call(stack, "POST", "/api/v1/incidents", { title: "Shop slow", services: ["shop"] });
    expect(opened.status).toBe(201);
    const at = 1_800_000_000_000; // a slot start of both 30 s periods
    const worker1 = new Map<string, number>();
    const { added, busy } = await enqueueBusyJobs(stack.db, stack.queue, specs, at + 1_000, worker1);
    expect(added.sort()).toEqual([`incident-channels-${at}`, `stakeholders-notify-${at}`]);
    expect(busy).toBe(2);
    // The same worker later in the slot: no call at all; another worker in the slot: BullMQ adds nothing.
    expect(await enqueueBusyJobs(stack.db, stack.queue, specs, at + 20_000, worker1)).toEqual({
      added: [],
      busy: 2,
    });
    await enqueueBusyJobs(stack.db, stack.queue, specs, at + 25_000, new Map());
    const ids = (await jobIds()).filter(
      (id) => id.startsWith("incident-channels") || id.startsWith("stakeholders"),
    );
    expect(ids).toEqual([`incident-channels-${at}`, `stakeholders-notify-${at}`]);
    // The next slot: the next run.
    const next = await enqueueBusyJobs(stack.db, stack.queue, specs, at + 31_000, worker1);
    expect(next.added.sort()).toEqual([
      `incident-channels-${at + 30_000}`,
      `stakeholders-notify-${at + 30_000}`,
    ]);
  });

  it("removes the schedulers an earlier release made for gated jobs, and keeps the others", async () => {
    const queue = stack.queue;
    expect(queue.name).toBe(QUEUE_NAME);
    await queue.upsertJobScheduler(
      "escalation-sweep",
      { every: 5_000 },
      { name: "escalation.sweep", data: {} },
    );
    await queue.upsertJobScheduler("receiver-sweep", { every: 15_000 }, { name: "receiver.sweep", data: {} });
    expect((await ensureSchedules(queue, specs)).sort()).toEqual([
      "rollups-retention",
      "slo-snapshot",
      "slo-tick",
    ]);
    const left = (await queue.getJobSchedulers()).map((s) => s.key).sort();
    expect(left).toEqual(["rollups-retention", "slo-snapshot", "slo-tick"]);
    for (const id of left) await queue.removeJobScheduler(id);
  });
});
