import { apiGet, expect, shot, signIn, test } from "./helpers";

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

  test("an org admin maps groups in Settings → Single sign-on, and the next sign-in follows the mapping", async ({
    page,
    browser,
    request,
    e2eState,
  }) => {
    const person = e2eState.sso.accounts[0]!;
    const headers = { authorization: `Bearer ${e2eState.token}` };
    await signIn(page, e2eState);
    await page.goto(`${e2eState.baseUrl}/settings/sso`);
    await expect(page.getByRole("heading", { name: "Group mapping" })).toBeVisible();
    await expect(page.getByTestId("sso-source")).toHaveText(/server's default/);
    const box = page.getByLabel("Groups and roles");
    // The environment's mapping is what is in use, and what the form starts from.
    await expect(box).toHaveValue("payments-editors=payments:editor\npayments-viewers=payments:viewer");
    const save = page.getByRole("button", { name: "Save mapping" });
    await box.fill("payments-editors=payments:owner");
    await save.click();
    await expect(page.getByRole("alert")).toContainText("line 1");
    await box.fill("payments-editors=nope:viewer");
    await save.click();
    await expect(page.getByRole("alert")).toContainText("groupRoles[0].team");
    await box.fill("payments-editors=payments:viewer\nstaff=admin");
    await save.click();
    await expect(page.getByTestId("sso-source")).toHaveText(/Saved mapping/);
    await expect(page.getByText("Server default:")).toBeVisible();
    try {
      for (const [scheme, size, name] of [
        ["light", { width: 1280, height: 800 }, "settings-sso"],
        ["dark", { width: 1280, height: 800 }, "settings-sso-dark"],
        ["light", { width: 390, height: 844 }, "settings-sso-phone"],
      ] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.setViewportSize(size);
        await shot(page, name);
      }
      await page.emulateMedia({ colorScheme: "light" });

      // The person signs in through the provider in a browser of their own: the saved mapping decides.
      const theirs = await browser.newContext();
      try {
        const p = await theirs.newPage();
        await p.goto(`${e2eState.baseUrl}/login`);
        await p.getByRole("link", { name: "Sign in with Local IdP" }).click();
        await p.getByLabel("Email").fill(person.email);
        await p.getByRole("button", { name: "Continue" }).click();
        await expect(p).toHaveURL(new RegExp(`^${e2eState.baseUrl}/`));
        const me = await p.request.get(`${e2eState.baseUrl}/api/v1/auth/me`);
        expect(await me.json()).toMatchObject({ email: person.email, isAdmin: true });
      } finally {
        await theirs.close();
      }
      const members = await apiGet<{ email: string; role: string }[]>(
        request,
        e2eState,
        "/api/v1/teams/payments/members",
      );
      expect(members).toContainEqual(expect.objectContaining({ email: person.email, role: "viewer" }));

      // Back to the server's default, from the form.
      await page.getByRole("button", { name: "Use the server default" }).click();
      await expect(page.getByTestId("sso-source")).toHaveText(/server's default/);
    } finally {
      await request.put(`${e2eState.baseUrl}/api/v1/settings/sso-groups`, {
        headers,
        data: { groupRoles: null },
      });
    }
  });
});
