import { expect, signIn, test, waitState } from "./helpers";

/**
 * The pages compare times from the API with the browser's own clock (who is on call now, snoozed until, "since").
 * On a shifted clock (`npm test -- --at=00:10`) the browser must see the same time as the servers, or those
 * answers differ by the shift.
 */
test("the browser runs on the suite's clock, the same as the API's", async ({ page, request }) => {
  const s = await waitState();
  await signIn(page, s);
  const before = Date.now();
  const browser = await page.evaluate(() => Date.now());
  const api = Date.parse(
    (await (
      await request.get(`${s.baseUrl}/api/v1/auth/me`, {
        headers: { authorization: `Bearer ${s.token}` },
      })
    ).headers()["date"]) ?? "",
  );
  expect(Math.abs(browser - before)).toBeLessThan(30_000);
  // the HTTP Date header has whole seconds
  expect(Math.abs(browser - api)).toBeLessThan(30_000);
});
