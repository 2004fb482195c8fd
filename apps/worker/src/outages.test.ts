import pino from "pino";
import { describe, expect, it } from "vitest";
import { createOutageLog, isConnectionError } from "./outages";

describe("isConnectionError", () => {
  it.each([
    {
      err: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6379"), { code: "ECONNREFUSED" }),
      expected: true,
    },
    { err: new Error("Connection is closed."), expected: true },
    { err: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }), expected: true },
    { err: new Error("ERR unknown command 'FOO'"), expected: false },
    { err: new Error("WRONGTYPE Operation against a key holding the wrong kind of value"), expected: false },
  ])("$err.message → $expected", ({ err, expected }) => {
    expect(isConnectionError(err)).toBe(expected);
  });
});

describe("createOutageLog", () => {
  it("logs one line per outage, however many connections report it, and one when it ends", () => {
    const lines: { level: number; msg: string }[] = [];
    const log = pino({ level: "info" }, { write: (s: string) => void lines.push(JSON.parse(s)) });
    const outages = createOutageLog(log);
    const handlers: ((e: Error) => void)[] = [];
    for (const name of ["redis", "queue", "worker"])
      outages.watch({ on: (_: "error", fn: (e: Error) => void) => handlers.push(fn) }, name);
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    for (let i = 0; i < 20; i++) for (const h of handlers) h(refused);
    expect(outages.isDown()).toBe(true);
    outages.up();
    outages.up();
    handlers[0]!(refused); // a second outage
    expect(lines.map((l) => l.msg)).toEqual([
      "redis unreachable; retrying (logged once per outage)",
      "redis is back",
      "redis unreachable; retrying (logged once per outage)",
    ]);
  });
});
