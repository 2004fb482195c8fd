import { describe, expect, it } from "vitest";
import { generate } from "./lib/traffic.ts";

/** A fixed UTC midnight: 2025-03-10T00:00:00Z. */
const DAY0 = Date.UTC(2025, 2, 10);

describe("simulate CLI", () => {
  it("imports without running, and parses options with env fallbacks", async () => {
    const sim = await import("./simulate.ts");
    expect(typeof sim.main).toBe("function");
    const o = sim.parseCli([], { BURNRATE_URL: "http://api:9000/", BURNRATE_BOOTSTRAP_TOKEN: "boot" });
    expect(o).toMatchObject({
      url: "http://api:9000",
      token: "boot",
      seed: 1,
      backfillHours: 48,
      live: false,
      scale: 1,
      intervalMs: 5000,
    });
    expect(
      sim.parseCli(["--token", "t", "--seed", "42", "--live", "--scale", "0.5"], { BURNRATE_TOKEN: "env" }),
    ).toMatchObject({ token: "t", seed: 42, live: true, scale: 0.5 });
    expect(() => sim.parseCli(["--backfill-hours", "200"], {})).toThrow(/backfill-hours/);
    expect(() => sim.parseCli(["--bogus"], {})).toThrow();
    const line = sim.toNdjson(generate(DAY0, DAY0 + 2000).slice(0, 1));
    expect(JSON.parse(line)).toMatchObject({ service: expect.any(String), ts: expect.any(Number) });
    expect(line.endsWith("\n")).toBe(true);
  });
});
