import { apiGet, expect, shot, test } from "./helpers";

test.describe("single sign-on", () => {
  test("signs in through the local OpenID Connect provider; group payments-editors edits team payments", async ({
    page,
    e2eState,
  }) => {
    const person = e2eState.sso.accounts[0]!;
    await page.goto(`${e2eState.baseUrl}/alerts`);
    await expect(page).toHaveURL(/\/login/);
    const sso = page.getByRole("link", { name: "Sign in with Local IdP" });
    await expect(sso).toBeVisible();
    // Passwords stay on beside it.
    await expect(page.getByLabel("Password")).toBeVisible();
    await shot(page, "login-sso");

    await sso.click();
    await expect(page).toHaveURL(new RegExp(`^${e2eState.sso.issuer}/interaction/`));
    await expect(page.getByRole("heading", { name: "Local identity provider" })).toBeVisible();
    await page.getByLabel("Email").fill(person.email);
    await page.getByRole("button", { name: "Continue" }).click();

    // Back in Burnrate, on the page asked for first, with a session.
    await expect(page).toHaveURL(`${e2eState.baseUrl}/alerts`);
    await expect(page).toHaveTitle(/^Alerts · Burnrate$/);
    const cookies = await page.context().cookies(e2eState.baseUrl);
    const session = cookies.find((c) => c.name === "burnrate_session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict" });
    const me = await page.request.get(`${e2eState.baseUrl}/api/v1/auth/me`);
    expect(await me.json()).toMatchObject({ kind: "user", email: person.email, isAdmin: false });
    const members = await apiGet<{ email: string; role: string }[]>(
      page.request,
      e2eState,
      "/api/v1/teams/payments/members",
    );
    expect(members).toContainEqual(expect.objectContaining({ email: person.email, role: "editor" }));
    await shot(page, "after-sso");
  });

  test("a forged state is refused with a page that says so, and no session", async ({ page, e2eState }) => {
    await page.goto(`${e2eState.baseUrl}/login`);
    await page.getByRole("link", { name: "Sign in with Local IdP" }).click();
    // This browser has started a sign-in (its flow cookie is set); an answer with another state comes in.
    await expect(page.getByRole("heading", { name: "Local identity provider" })).toBeVisible();
    await page.goto(
      `${e2eState.baseUrl}/api/v1/auth/oidc/callback?code=stolen-code&state=forged-by-an-attacker`,
    );
    await expect(page.getByRole("heading", { name: "Sign-in refused" })).toBeVisible();
    await expect(page.getByText("does not match this sign-in")).toBeVisible();
    const cookies = await page.context().cookies(e2eState.baseUrl);
    expect(cookies.find((c) => c.name === "burnrate_session")).toBeUndefined();
    await shot(page, "sso-refused");
  });
});
