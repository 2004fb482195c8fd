import { expect, shot, signIn, test, waitState } from "./helpers";
import { FORMS_SERVICE, FORMS_TEAM, storefront } from "./forms-fixture";

test("settings as forms: team, member and role, service, endpoint, region, token revoke, silence, maintenance", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const s = await waitState();
  await storefront(request, s);
  await signIn(page, s);
  page.on("dialog", (d) => void d.accept());

  // a team: a bad slug is refused at the field in plain words, and the error goes as the field changes
  await page.goto(`${s.baseUrl}/settings`);
  const newTeam = page.getByRole("form", { name: "New team" });
  await newTeam.getByLabel("Slug").fill("Forms UI");
  await newTeam.getByLabel("Name", { exact: true }).fill("Forms UI");
  await newTeam.getByRole("button", { name: "Create team" }).click();
  await expect(page.getByTestId("team-slug-error")).toHaveText(
    "Slug must be lowercase letters, digits and dashes (e.g. 'checkout-api')",
  );
  await newTeam.getByLabel("Slug").fill("forms-ui");
  await expect(page.getByTestId("team-slug-error")).toHaveCount(0);
  await newTeam.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/team=forms-ui/);
  const edit = page.getByRole("form", { name: "Edit team forms-ui" });
  await edit.getByLabel("Name", { exact: true }).fill("Forms and settings");
  await edit.getByLabel("Slack channel").fill("#forms-slo");
  await edit.getByRole("button", { name: "Save team" }).click();
  await expect(page.getByRole("table", { name: "Teams" })).toContainText("Forms and settings");
  // a member, then a role change
  const add = page.getByRole("form", { name: "Add member" });
  await add.getByLabel("Email").fill(s.admin.email);
  await add.getByLabel("Role").selectOption("editor");
  await add.getByRole("button", { name: "Add member" }).click();
  const members = page.getByRole("table", { name: "Members" });
  await expect(members).toContainText(s.admin.email);
  await members.getByLabel(`Role of ${s.admin.email}`).selectOption("viewer");
  await expect(members.getByLabel(`Role of ${s.admin.email}`)).toHaveValue("viewer");
  await shot(page, "forms-settings-teams");

  // a service: a runbook that is not a web address is named; then an endpoint, with a typo caught first
  await page.getByRole("link", { name: "Services & endpoints" }).click();
  const newService = page.getByRole("form", { name: "New service" });
  await newService.getByLabel("Slug").fill("forms-api");
  await newService.getByLabel("Name", { exact: true }).fill("Forms API");
  await newService.getByLabel("Team").selectOption("forms-ui");
  await newService.getByLabel("Runbook").fill("wiki/forms");
  await newService.getByRole("button", { name: "Create service" }).click();
  await expect(page.getByTestId("svc-runbook-error")).toContainText("Runbook must be a web address");
  await newService.getByLabel("Runbook").fill("https://wiki.example.com/forms");
  await newService.getByRole("button", { name: "Create service" }).click();
  await expect(page).toHaveURL(/service=forms-api/);
  const endpoint = page.getByRole("form", { name: "Add endpoint" });
  await endpoint.getByLabel("Endpoint").fill("GTE /forms");
  await endpoint.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByTestId("endpoint-new-error")).toContainText("Endpoint must be a method and a route");
  await endpoint.getByLabel("Endpoint").fill("POST /forms/{id}");
  await endpoint.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByRole("table", { name: "Endpoints" })).toContainText("/forms/{id}");
  await shot(page, "forms-settings-services");

  // regions: each one's name and production flag
  await page.getByRole("link", { name: "Regions" }).click();
  const eu = page.getByRole("form", { name: "Region prod-eu" });
  await eu.getByRole("button", { name: "Save region" }).click();
  await expect(eu.getByRole("status")).toHaveText("Saved.");
  await shot(page, "forms-settings-regions");

  // a token, created and revoked
  await page.getByRole("link", { name: "API tokens" }).click();
  const token = page.getByRole("form", { name: "New token" });
  await token.getByLabel("Name", { exact: true }).fill("forms-ci");
  await token.getByLabel("Team").selectOption("forms-ui");
  await token.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("token-secret")).toBeVisible();
  const row = page.getByTestId("token-row").filter({ hasText: "forms-ci" });
  await row.getByRole("button", { name: "Revoke forms-ci" }).click();
  await expect(row).toContainText("revoked");
  await shot(page, "forms-settings-tokens");

  // a silence: without a scope it is refused in words; with the team it is listed, and ended
  await page.getByRole("link", { name: "Silences" }).click();
  const silence = page.getByRole("form", { name: "New silence" });
  await silence.getByLabel("Reason").fill("forms release");
  await silence.getByRole("button", { name: "Create silence" }).click();
  await expect(page.getByTestId("silence-scope-error")).toBeVisible();
  await silence.getByLabel("Team").selectOption(FORMS_TEAM);
  await expect(page.getByTestId("silence-scope-error")).toHaveCount(0);
  // the API's answer itself, so that a refusal says why rather than as a row that never comes
  const created = page.waitForResponse(
    (r) => r.url().endsWith("/api/v1/silences") && r.request().method() === "POST",
  );
  await silence.getByRole("button", { name: "Create silence" }).click();
  const answer = await created;
  expect(answer.status(), await answer.text()).toBe(201);
  const silenced = page.getByRole("table", { name: "Silences" }).getByRole("row", { name: /forms release/ });
  await expect(silenced).toContainText("active");
  await silenced.getByRole("button", { name: /End now \(silence:/ }).click();
  await expect(silenced).toContainText("ended");
  await shot(page, "forms-settings-silences");

  // a maintenance window needs an end; recorded, it is listed for its service
  await page.getByRole("link", { name: "Deployments & maintenance" }).click();
  const event = page.getByRole("form", { name: "New event" });
  await event.getByLabel("Kind").selectOption("maintenance");
  await event.getByLabel("Service").selectOption(FORMS_SERVICE);
  await event.getByLabel("Title").fill("database upgrade");
  await event.getByRole("button", { name: /Record/ }).click();
  await expect(page.getByTestId("event-ends-error")).toContainText("Ends is required");
  const inAnHour = new Date(Date.now() + 3_600_000);
  const local = new Date(inAnHour.getTime() - inAnHour.getTimezoneOffset() * 60_000)
    .toISOString()
    .slice(0, 16);
  await event.getByLabel("Ends").fill(local);
  await event.getByRole("button", { name: /Record/ }).click();
  await expect(page.getByRole("table", { name: "Recent events" })).toContainText("database upgrade");
  // the list shows what was recorded from the API's answer, even when its refresh fails
  const listing = /\/api\/v1\/deployments\?/;
  await page.route(listing, (route) =>
    route.request().method() === "GET"
      ? route.fulfill({
          status: 503,
          contentType: "application/json",
          body: JSON.stringify({
            error: { code: "unavailable", message: "the database cannot be reached; retry" },
          }),
        })
      : route.fallback(),
  );
  await event.getByLabel("Kind").selectOption("comment");
  await event.getByLabel("Title").fill("feature flag on for 10%");
  await event.getByRole("button", { name: /Record/ }).click();
  const recentEvents = page.getByRole("table", { name: "Recent events" });
  await expect(recentEvents).toContainText("Annotation");
  await expect(recentEvents).toContainText("feature flag on for 10%");
  await expect(recentEvents).toContainText("database upgrade");
  await expect(page.getByRole("alert").filter({ hasText: "Could not refresh this list" })).toBeVisible({
    timeout: 20_000,
  });
  await page.unroute(listing);
  await shot(page, "forms-settings-events");
});
