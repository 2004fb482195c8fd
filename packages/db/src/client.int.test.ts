import { afterAll, describe, expect, it } from "vitest";
import { createDb, poolQuery, sqlRows, sqlTransaction, type PreparedSql } from "./client";

const PG =
  process.env.BURNRATE_TEST_DATABASE_URL ??
  process.env.DATABASE_URL ??
  "postgresql://postgres@127.0.0.1:5432/postgres";

// One connection, so every statement below runs on the connection that prepared it.
const db = createDb({ databaseUrl: PG, poolSize: 1 });
afterAll(() => db.$disconnect());

const ADD: PreparedSql = { name: "client_int_add", text: "SELECT ($1::int + $2::int) AS n" };
const prepared = () =>
  sqlRows<{ name: string; statement: string }>(
    db,
    "SELECT name, statement FROM pg_prepared_statements WHERE name = $1",
    [ADD.name],
  );

describe("prepared statements (PreparedSql)", () => {
  it("are parsed once per connection and run with their parameters, in and out of transactions", async () => {
    expect(await sqlRows(db, ADD, [1, 2])).toEqual([{ n: 3 }]);
    expect(await prepared()).toEqual([{ name: ADD.name, statement: ADD.text }]);
    expect(await poolQuery(db)(ADD, [40, 2])).toEqual([{ n: 42 }]);
    const inTx = await sqlTransaction(db, async (q) => [await q(ADD, [5, 5]), await q(ADD, [-1, 1])]);
    expect(inTx).toEqual([[{ n: 10 }], [{ n: 0 }]]);
    expect(await prepared()).toHaveLength(1);
  });

  it("survive a transaction that fails, and a bad parameter is the caller's error, not the statement's", async () => {
    await expect(
      sqlTransaction(db, async (q) => {
        await q(ADD, [1, 1]);
        await q(ADD, ["not a number", 1]);
      }),
    ).rejects.toThrow(/invalid input syntax for type integer/);
    await expect(
      sqlTransaction(db, async (q) => {
        await q(ADD, [2, 2]);
        throw new Error("the caller's own failure");
      }),
    ).rejects.toThrow("the caller's own failure");
    expect(await prepared()).toHaveLength(1);
    expect(await sqlRows(db, ADD, [7, 8])).toEqual([{ n: 15 }]);
  });
});
