import { expect, shot, signIn, test, waitState } from "./helpers";

test("incident page: the incident's own Slack channel, who was invited, and its entry in the timeline", async ({
  page,
  request,
}) => {
  const s = await waitState();
  const headers = { authorization: `Bearer ${s.token}` };
  const setting = await request.put(`${s.baseUrl}/api/v1/settings/incident-channels`, {
    headers,
    data: { severities: ["critical"] },
  });
  expect(setting.status()).toBe(200);
  try {
    const created = await request.post(`${s.baseUrl}/api/v1/incidents`, {
      headers,
      data: {
        title: "Checkout times out for EU card payments",
        services: ["checkout"],
        priority: "P1",
        severity: "critical",
        roles: { commander: s.admin.email },
        message: "Timeouts at the payment provider; investigating.",
      },
    });
    expect(created.status()).toBe(201);
    const { id, number } = (await created.json()) as { id: string; number: number };
    // The worker makes the channel (its job follows the incident's creation).
    await expect
      .poll(
        async () => {
          const r = await request.get(`${s.baseUrl}/api/v1/incidents/${id}`, { headers });
          return ((await r.json()) as { channel: { id: string | null } | null }).channel?.id ?? null;
        },
        { timeout: 30_000 },
      )
      .not.toBeNull();

    await signIn(page, s);
    await page.goto(`${s.baseUrl}/incidents/${id}`);
    const line = page.getByTestId("incident-channel");
    await expect(line).toContainText(
      new RegExp(`#inc-\\d{8}-${number}-checkout-checkout-times-out-for-eu-card-payments`),
    );
    await expect(line).toContainText(`invited ${s.admin.email}`);
    await expect(line.getByRole("link")).toHaveAttribute(
      "href",
      /^https:\/\/slack\.com\/app_redirect\?channel=C/,
    );
    await expect(page.getByTestId("incident-timeline")).toContainText("Slack channel created");
    await shot(page, "incident-channel");
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(line).toBeVisible();
    await shot(page, "incident-channel-phone");
  } finally {
    await request.put(`${s.baseUrl}/api/v1/settings/incident-channels`, {
      headers,
      data: { severities: [] },
    });
  }
});

test("settings: the organisation's and a team's incident channel severities, as forms", async ({
  page,
  request,
}) => {
  const s = await waitState();
  const headers = { authorization: `Bearer ${s.token}` };
  const settings = async () =>
    (await (await request.get(`${s.baseUrl}/api/v1/settings/incident-channels`, { headers })).json()) as {
      org: { severities: string[] };
      teams: { team: string; severities: string[] }[];
    };
  try {
    await signIn(page, s);
    await page.goto(`${s.baseUrl}/settings/slack?team=discovery`);
    const section = page.getByRole("region", { name: "Incident channels" });
    await expect(section.getByRole("heading", { name: "Incident Slack channels" })).toBeVisible();

    // the organisation's default: critical incidents, and those whose severity is not set yet
    const org = section.getByRole("form", { name: "Organisation incident channels" });
    await org.getByLabel("Critical", { exact: true }).check();
    await org.getByLabel("Severity not set yet", { exact: true }).check();
    await org.getByRole("button", { name: "Save the default (org admins)" }).click();
    await expect(org.getByRole("status")).toHaveText("Saved: Critical, Severity not set yet.");
    expect((await settings()).org.severities).toEqual(["critical", "unset"]);

    // a team that follows the organisation says so, then makes its own choice: warnings only
    const team = section.getByRole("form", { name: "Team incident channels" });
    await expect(team.getByLabel("Team")).toHaveValue("discovery");
    await expect(
      team.getByLabel(/As the organisation does \(Critical, Severity not set yet\)/),
    ).toBeChecked();
    await expect(team.getByLabel("Warning", { exact: true })).toBeDisabled();
    await expect(section.getByTestId("incident-channel-teams")).toHaveText(
      "Every team follows the organisation.",
    );
    await team.getByLabel("For these severities:").check();
    await team.getByLabel("Critical", { exact: true }).uncheck();
    await team.getByLabel("Severity not set yet", { exact: true }).uncheck();
    await team.getByLabel("Warning", { exact: true }).check();
    await team.getByRole("button", { name: "Save for discovery" }).click();
    await expect(team.getByRole("status")).toHaveText("Saved: discovery opens a channel for Warning.");
    const own = section.getByRole("table", { name: "Teams with their own incident channel choice" });
    await expect(own.getByRole("row", { name: /discovery/ })).toContainText("Warning");
    expect((await settings()).teams).toEqual([{ team: "discovery", severities: ["warning"] }]);
    await page.reload();
    await expect(
      page.getByRole("form", { name: "Team incident channels" }).getByLabel("For these severities:"),
    ).toBeChecked();
    await expect(
      page.getByRole("form", { name: "Team incident channels" }).getByLabel("Warning", { exact: true }),
    ).toBeChecked();
    await section.scrollIntoViewIfNeeded();
    await shot(page, "settings-incident-channels");
    await page.emulateMedia({ colorScheme: "dark" });
    await shot(page, "settings-incident-channels-dark");
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(section.getByRole("button", { name: "Save for discovery" })).toBeVisible();
    await shot(page, "settings-incident-channels-phone");
    await page.setViewportSize({ width: 1440, height: 900 });

    // back to the organisation's choice
    const again = page.getByRole("form", { name: "Team incident channels" });
    await again.getByLabel(/As the organisation does/).check();
    await again.getByRole("button", { name: "Save for discovery" }).click();
    await expect(again.getByRole("status")).toHaveText(
      "Saved: discovery follows the organisation (Critical, Severity not set yet).",
    );
    await expect(section.getByTestId("incident-channel-teams")).toBeVisible();
    expect((await settings()).teams).toEqual([]);
  } finally {
    await request.put(`${s.baseUrl}/api/v1/teams/discovery/incident-channels`, {
      headers,
      data: { severities: null },
    });
    await request.put(`${s.baseUrl}/api/v1/settings/incident-channels`, {
      headers,
      data: { severities: [] },
    });
  }
});
