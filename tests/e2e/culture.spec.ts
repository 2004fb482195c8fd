import type { AdoptionResponse, CultureResponse } from "../../packages/contracts/src/index.ts";
import { apiGet, expect as baseExpect, shot, signIn, test, waitState } from "./helpers";

const expect = baseExpect.configure({ timeout: 15_000 });

const LABELS = [
  "High cooperation",
  "Messengers trained",
  "Risks and responsibilities shared",
  "Bridging encouraged",
  "Failure leads to inquiry",
  "Novelty implemented",
];

test("the team answers its quarterly self-assessment on the team page; the adoption board shows the trend", async ({
  page,
  request,
}) => {
  const s = await waitState();
  const auth = { authorization: `Bearer ${s.token}` };
  // a team of its own (last by slug), so other pages' counts do not change
  const made = await request.post(`${s.baseUrl}/api/v1/teams`, {
    headers: auth,
    data: { slug: "zz-culture", name: "Culture" },
  });
  expect([201, 409]).toContain(made.status());
  const before = await apiGet<CultureResponse>(request, s, "/api/v1/teams/zz-culture/culture");

  await signIn(page, s);
  await page.goto(`${s.baseUrl}/teams/zz-culture`);
  const section = page.locator("section.team-culture");
  await expect(section.getByRole("heading", { name: "Team self-assessment" })).toBeVisible();
  await expect(section).toContainText("never individuals");
  const form = page.getByRole("form", { name: "Self-assessment" });
  await expect(form.locator("legend")).toHaveText(before.currentQuarter);
  // the answers are needed for all six aspects before the form can be sent
  const save = form.getByRole("button", { name: /this quarter's answers/ });
  await expect(save).toBeDisabled();
  const scores = [4, 3, 4, 2, 5, 3];
  for (const [i, label] of LABELS.entries()) {
    await expect(form.getByText(label, { exact: true })).toBeVisible();
    await form.getByRole("combobox", { name: label }).selectOption(String(scores[i]));
  }
  await form.getByRole("textbox", { name: "Note" }).fill("postmortems are blameless now");
  await expect(save).toBeEnabled();
  await save.click();
  await expect(form.getByRole("status")).toHaveText(
    `Saved for ${before.currentQuarter}: mean 3.5 of 5 (generative).`,
  );
  const row = page.getByTestId("culture-row").filter({ hasText: before.currentQuarter });
  await expect(row).toContainText("3.5");
  await expect(row).toContainText("generative");

  const after = await apiGet<CultureResponse>(request, s, "/api/v1/teams/zz-culture/culture");
  const answer = after.quarters.find((q) => q.quarter === after.currentQuarter)!;
  expect(Object.values(answer.scores)).toEqual(scores);
  expect(answer.note).toBe("postmortems are blameless now");
  await shot(page, "team-culture");

  // the board's trend for this quarter counts the team and shows each aspect's mean as the API has it
  const board = await apiGet<AdoptionResponse>(request, s, "/api/v1/reports/adoption");
  const quarter = board.culture.find((q) => q.quarter === after.currentQuarter)!;
  expect(quarter.teams).toBeGreaterThanOrEqual(1);
  await page.goto(`${s.baseUrl}/adoption`);
  const table = page.getByRole("table", { name: "Culture self-assessment by quarter" });
  await expect(table).toBeVisible();
  const col = board.culture.findIndex((q) => q.quarter === after.currentQuarter) + 1;
  const answered = table.locator("tbody tr").filter({ hasText: "Teams that answered" });
  await expect(answered.locator("td").nth(col - 1)).toHaveText(String(quarter.teams));
  const failure = table.locator("tbody tr").filter({ hasText: "Failure leads to inquiry" });
  await expect(failure.locator("td").nth(col - 1)).toHaveText(quarter.means.failure!.toFixed(1));
  await shot(page, "adoption-culture");
});
