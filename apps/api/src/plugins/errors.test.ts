import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { registerErrorHandler } from "./errors";

const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

async function answer(err: Error) {
  const app = Fastify({ logger: false });
  registerErrorHandler(app);
  app.get("/x", async () => {
    throw err;
  });
  const res = await app.inject({ method: "GET", url: "/x" });
  await app.close();
  return { status: res.statusCode, retryAfter: res.headers["retry-after"], body: res.json() };
}

describe("error handler: database trouble", () => {
  it("a transaction that expired waiting for a row is 503 with Retry-After 1, not 500", async () => {
    const r = await answer(
      coded("Transaction already closed: A commit cannot be executed on an expired transaction", "P2028"),
    );
    expect(r).toEqual({
      status: 503,
      retryAfter: "1",
      body: {
        error: {
          code: "unavailable",
          message: "the database is busy; retry after the Retry-After delay",
          details: { retryAfterSeconds: 1 },
        },
      },
    });
  });

  it("an unreachable database is 503 with Retry-After 5, and the driver's text is not shown", async () => {
    const r = await answer(coded("Can't reach database server at `10.0.0.7:5432`", "P1001"));
    expect(r.status).toBe(503);
    expect(r.retryAfter).toBe("5");
    expect(JSON.stringify(r.body)).not.toContain("10.0.0.7");
  });

  it("a unique violation no service caught (two saves at once) is 409, without the constraint's name", async () => {
    for (const err of [
      coded("Unique constraint failed on the fields: (`schedule_id`,`ord`)", "P2002"),
      Object.assign(new Error("wrapped"), { cause: coded('duplicate key value violates "x_key"', "23505") }),
    ]) {
      const r = await answer(err);
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe("conflict");
      expect(JSON.stringify(r.body)).not.toMatch(/schedule_id|x_key/);
    }
  });

  it("any other error stays a generic 500 without its message", async () => {
    const r = await answer(new TypeError("cannot read properties of undefined (reading 'secret')"));
    expect(r.status).toBe(500);
    expect(JSON.stringify(r.body)).not.toContain("secret");
  });
});
