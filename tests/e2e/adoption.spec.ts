import type { AdoptionResponse } from "../../packages/contracts/src/index.ts";
import { apiGet, expect as baseExpect, shot, signIn, test, waitState } from "./helpers";

const expect = baseExpect.configure({ timeout: 15_000 });

test("the adoption board: teams per phase, the team × phase grid, reached from the indicators page", async ({
  page,
  request,
}) => {
  const s = await waitState();
  const teams = await apiGet<{ slug: string }[]>(request, s, "/api/v1/teams");
  expect(teams.length).toBeGreaterThan(0);
  const first = teams[0]!.slug;
  const put = async (phase: string, body: object) => {
    const r = await request.put(`${s.baseUrl}/api/v1/teams/${first}/adoption/${phase}`, {
      headers: { authorization: `Bearer ${s.token}` },
      data: body,
    });
    expect(r.status(), phase).toBe(200);
  };
  await put("http_codes_fixed", { reached: true, reachedOn: "2026-04-01", note: "4xx for caller mistakes" });
  await put("breach_analysis", { reached: false, targetDate: "2026-01-15" });
  await put("stakeholders_defined", { reached: false, targetDate: "2099-03-31" });
  const board = await apiGet<AdoptionResponse>(request, s, "/api/v1/reports/adoption");

  await signIn(page, s);
  await page.goto(`${s.baseUrl}/indicators`);
  await page.getByRole("link", { name: "SRE adoption board" }).click();
  await expect(page.getByRole("heading", { name: "SRE adoption", exact: true })).toBeVisible();
  await expect(page.getByText("How far each team has come")).toContainText("never individuals");
  await expect(page.getByTestId("adoption-chart").locator(".recharts-bar-rectangle")).toHaveCount(
    board.phases.filter((p) => p.reached > 0).length, // a bar of 0 teams draws nothing
  );
  const grid = page.locator("table.adoption-grid");
  await expect(grid.locator("tbody tr")).toHaveCount(board.teams.length);
  await expect(grid.locator("tbody tr").first()).toContainText("2026-04-01");
  await expect(grid.locator("tbody tr").first()).toContainText("overdue: 2026-01-15");
  await expect(grid.locator("tbody tr").first()).toContainText("by 2099-03-31");
  // each row is headed by its team's name as it is written, not in capitals (innerText is what is shown)
  const rowHead = grid.locator("tbody th").first();
  await expect(rowHead).toHaveCSS("text-transform", "none");
  expect(await rowHead.evaluate((e) => (e as HTMLElement).innerText.trim())).toBe(board.teams[0]!.name);
  await shot(page, "adoption");

  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByTestId("adoption-chart")).toBeVisible();
  await shot(page, "adoption-phone");
});

test("each indicator links to its 'what to decide' panel: decision categories and questions, as guidance", async ({
  page,
}) => {
  const s = await waitState();
  await signIn(page, s);
  await page.goto(`${s.baseUrl}/indicators`);
  const panels = page.getByTestId("decision-panel");
  await expect(panels).toHaveCount(6);
  const adherence = page.locator("#adherence");
  await adherence.getByRole("link", { name: "What to decide" }).click();
  const panel = page.locator("#adherence-decide");
  await expect(panel).toHaveAttribute("open", "");
  await expect(panel.getByRole("heading", { name: "Prioritization" })).toBeVisible();
  await expect(panel.getByRole("heading", { name: "Budget" })).toBeVisible();
  await expect(panel).toContainText("never people");
  await shot(page, "indicators-decide");
  await panel.screenshot({ path: `${process.cwd()}/test-results/screenshots/decision-panel.png` });
});
