import type { SupportTicketsResponse } from "../../packages/contracts/src/index.ts";
import path from "node:path";
import { apiGet, expect as baseExpect, shot, shots, signIn, test, waitState } from "./helpers";

const expect = baseExpect.configure({ timeout: 15_000 });

/** "YYYY-MM" n months after m. */
const addMonths = (m: string, n: number) => {
  const i = Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1 + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;
};

test("the support ticket trend on the indicators page: a CSV upload's counts and growth per service", async ({
  page,
  request,
}) => {
  const s = await waitState();
  const before = await apiGet<SupportTicketsResponse>(request, s, "/api/v1/reports/support-tickets");
  const to = before.to;
  // The book's shape: falling, then rising to an all-time high in the last month.
  const counts = [40, 30, 36, 54];
  const csv = ["service,month,count", ...counts.map((c, i) => `checkout,${addMonths(to, i - 3)},${c}`)].join(
    "\n",
  );
  const up = await request.post(`${s.baseUrl}/api/v1/support-tickets/csv`, {
    headers: { authorization: `Bearer ${s.token}`, "content-type": "text/csv" },
    data: csv,
  });
  expect(up.status()).toBe(200);
  const after = await apiGet<SupportTicketsResponse>(request, s, "/api/v1/reports/support-tickets");
  const checkout = after.services.find((x) => x.service === "checkout")!;
  expect(checkout.points.slice(-4).map((p) => p.count)).toEqual(counts);

  await signIn(page, s);
  await page.goto(`${s.baseUrl}/indicators`);
  await page.getByRole("link", { name: "Customer support ticket trend" }).click();
  const section = page.locator("#support-tickets");
  await expect(section.getByTestId("tickets-summary")).toContainText(
    `${after.overall.total} tickets over 12 months`,
  );
  await expect(section.getByTestId("tickets-chart").locator(".recharts-bar-rectangle")).toHaveCount(
    after.overall.points.filter((p) => p.count > 0).length,
  );
  const row = section.getByRole("table", { name: "Support tickets per service" }).locator("tbody tr", {
    hasText: "Checkout",
  });
  await expect(row).toContainText("54");
  await expect(row).toContainText("+50.0%");
  await section.scrollIntoViewIfNeeded();
  await section.screenshot({ path: path.join(shots, "support-tickets.png") });
  await page.emulateMedia({ colorScheme: "dark" });
  await section.screenshot({ path: path.join(shots, "support-tickets-dark.png") });
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.mouse.move(0, 0); // no tooltip in the picture
  await expect(section.getByTestId("tickets-chart")).toBeVisible();
  await section.screenshot({ path: path.join(shots, "support-tickets-phone.png") });
  await shot(page, "indicators-phone-tickets");
});
