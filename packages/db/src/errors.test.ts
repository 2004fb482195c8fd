import { describe, expect, it } from "vitest";
import { dbTrouble } from "./errors";

const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

describe("dbTrouble", () => {
  it("knows the errors of an unreachable or restarting database, also wrapped", () => {
    const refused = coded("connect ECONNREFUSED 127.0.0.1:1", "ECONNREFUSED");
    expect(dbTrouble(refused)).toBe("unavailable");
    expect(dbTrouble(new Error("x", { cause: refused }))).toBe("unavailable");
    expect(dbTrouble(coded("shutting down", "57P01"))).toBe("unavailable");
    expect(dbTrouble(new AggregateError([refused], "all failed"))).toBe("unavailable");
    expect(dbTrouble(new Error("Connection terminated unexpectedly"))).toBe("unavailable");
    expect(dbTrouble(coded("Can't reach database server at 127.0.0.1:1", "P1001"))).toBe("unavailable");
  });

  it("knows a database that is there but could not serve in time", () => {
    // Prisma's interactive transaction that waited past its timeout for a row another writer held
    const expired = coded(
      "Transaction API error: Transaction already closed: A commit cannot be executed on an expired transaction. The timeout for this transaction was 5000 ms, however 6012 ms passed since the start of the transaction.",
      "P2028",
    );
    expect(dbTrouble(expired)).toBe("busy");
    expect(
      dbTrouble(new Error("Transaction already closed: the timeout for this transaction was 5000 ms")),
    ).toBe("busy");
    expect(dbTrouble(coded("Timed out fetching a new connection from the connection pool", "P2024"))).toBe(
      "busy",
    );
    expect(dbTrouble(coded("deadlock detected", "40P01"))).toBe("busy");
    expect(dbTrouble(coded("could not serialize access", "40001"))).toBe("busy");
    expect(dbTrouble(coded("canceling statement due to statement timeout", "57014"))).toBe("busy");
    expect(dbTrouble({ originalCode: "55P03", message: "lock not available" })).toBe("busy");
  });

  it("does not take other errors for it", () => {
    expect(dbTrouble(coded("duplicate key", "23505"))).toBeNull();
    expect(dbTrouble(coded("Unique constraint failed", "P2002"))).toBeNull();
    expect(dbTrouble(new TypeError("x is undefined"))).toBeNull();
    expect(dbTrouble(null)).toBeNull();
    expect(dbTrouble("ECONNREFUSED")).toBeNull();
  });
});
