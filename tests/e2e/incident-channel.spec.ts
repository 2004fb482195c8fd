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
