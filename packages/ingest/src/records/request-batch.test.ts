import { describe, expect, it } from "vitest";
import { parseNdjson } from "../sources/ndjson/ndjson-parser";
import { RequestBatch } from "./request-batch";

const NOW = Date.UTC(2026, 10, 21, 10, 0, 0);

const line = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    ts: NOW - 60_000,
    service: "checkout",
    method: "GET",
    route: "/cart",
    region: "prod-eu",
    status: 200,
    durationMs: 12,
    ...over,
  });

describe("RequestBatch as data (a batch parsed in another thread)", () => {
  it("gives back the same records, ids, values and errors, and the columns' buffers to transfer", () => {
    const body = [
      line(),
      line({ service: "search", region: "prod-us", status: 503 }),
      "{not json",
      line({ endpoint: "POST /pay", method: undefined, route: undefined, durationMs: 900 }),
      ` ${line({ ts: new Date(NOW - 120_000).toISOString(), service: "Checkout" })}`, // the slow path
      line({ status: 42 }),
      line({ region: "prod-us" }),
    ].join("\n");
    const a = parseNdjson(Buffer.from(body), NOW);
    const copy = structuredClone(a.toData());
    const b = RequestBatch.fromData(copy);
    expect(b.n).toBe(a.n);
    for (let i = 0; i < a.n; i++) expect(b.recordAt(i)).toEqual(a.recordAt(i));
    expect(b.errors).toEqual(a.errors);
    expect(b.rejected).toBe(2);
    expect(b.scanner.services).toEqual(a.scanner.services);
    expect(b.scanner.regions).toEqual(a.scanner.regions);
    expect(b.scanner.endpoints).toEqual(a.scanner.endpoints);
    // The adopted values keep their ids: a record added afterwards is interned to the same ones.
    const before = b.n;
    b.add(99, {
      tsMs: NOW,
      service: "search",
      method: "POST",
      route: "/pay",
      region: "prod-us",
      status: 200,
      durationMs: 1,
    });
    expect(b.service[before]).toBe(a.scanner.services.indexOf("search"));
    expect(b.endpoint[before]).toBe(
      a.scanner.endpoints.findIndex((e) => e.method === "POST" && e.route === "/pay"),
    );
    expect(b.scanner.services).toEqual(a.scanner.services);
    const list = RequestBatch.transferList(a.toData());
    expect(list).toHaveLength(7);
    expect(new Set(list).size).toBe(7);
  });
});
