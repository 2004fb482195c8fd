import type { SloResponse, SloReviewsResponse } from "../../packages/contracts/src/index.ts";
import { apiGet, expect as baseExpect, shot, signIn, test, waitState } from "./helpers";

const expect = baseExpect.configure({ timeout: 15_000 });

test("an SLO review recorded on the SLO page: the team page lists it as due, a tighten makes a new version", async ({
  page,
  request,
}) => {
  const s = await waitState();
  const auth = { authorization: `Bearer ${s.token}` };
  // a team and service of their own (last by slug), so other pages' counts do not change
  for (const [url, data] of [
    ["/api/v1/teams", { slug: "zz-reviews", name: "Reviews" }],
    ["/api/v1/services", { slug: "zz-review-svc", name: "Review service", team: "zz-reviews" }],
  ] as const) {
    const r = await request.post(`${s.baseUrl}${url}`, { headers: auth, data });
    expect([201, 409], url).toContain(r.status());
  }
  // an SLO of its own, reviewed every 20 days: due within the four weeks the team page looks ahead
  const created = await request.post(`${s.baseUrl}/api/v1/slos`, {
    headers: auth,
    data: {
      service: "zz-review-svc",
      name: "Reviewed availability",
      sli: { type: "availability" },
      objectivePercent: 99.5,
      reviewEveryDays: 20,
    },
  });
  expect(created.status()).toBe(201);
  const slo = (await created.json()) as SloResponse;

  await signIn(page, s);
  await page.goto(`${s.baseUrl}/teams/zz-reviews`);
  const dueRow = page
    .getByTestId("team-review-row")
    .filter({ has: page.getByRole("link", { name: "Reviewed availability" }) })
    .last();
  await expect(dueRow).toContainText("20 days");
  await expect(dueRow).toContainText("never");
  await dueRow.getByRole("link", { name: "Reviewed availability" }).click();
  await expect(page).toHaveURL(new RegExp(`/slos/${slo.id}$`));
  const section = page.locator("section.slo-reviews");
  await expect(section.getByTestId("review-due")).toContainText("Reviewed every 20 days. Never reviewed.");
  await expect(section.getByTestId("review-due")).toContainText("review due");

  // a tighten that lowers the objective is refused, naming the field
  const form = page.getByRole("form", { name: "Record a review" });
  await form.getByLabel("Outcome").selectOption("tighten");
  await form.getByLabel("New objective (%)").fill("99");
  await form.getByLabel("Reason").fill("ran at 99.9% all quarter");
  await form.getByRole("button", { name: "Record review" }).click();
  await expect(form.getByRole("alert")).toContainText("objectivePercent");
  await expect(section.getByTestId("review-row")).toHaveCount(0);

  // the tighten, then a keep
  await form.getByLabel("New objective (%)").fill("99.9");
  await form.getByRole("button", { name: "Record review" }).click();
  await expect(form.getByRole("status")).toHaveText("Review recorded: objective 99.5% → 99.9% (version 2).");
  await expect(section.getByTestId("review-row")).toHaveCount(1);
  await expect(section.getByTestId("review-row").first()).toContainText("tighten");
  await expect(section.getByTestId("review-row").first()).toContainText("99.5% → 99.9%");
  await expect(section.getByTestId("review-row").first()).toContainText("ran at 99.9% all quarter");
  // the SLO's versions show the change with the review's reason, and the header its new objective
  await expect(page.getByTestId("version-row").first()).toContainText(
    "review (tighten): ran at 99.9% all quarter",
  );
  await expect(page.getByTestId("version-row").first()).toContainText("objectivePercent: 99.5 → 99.9");
  await expect(page.getByText(/99\.9%/).first()).toBeVisible();
  await expect(section.getByTestId("review-due")).toContainText("Last review");

  await form.getByLabel("Outcome").selectOption("keep");
  await expect(form.getByLabel("New objective (%)")).toHaveCount(0);
  await form.getByLabel("Reason").fill("no change this time");
  await form.getByRole("button", { name: "Record review" }).click();
  await expect(form.getByRole("status")).toHaveText("Review recorded: objective kept at 99.9%.");
  await expect(section.getByTestId("review-row")).toHaveCount(2);
  await shot(page, "slo-reviews");

  const api = await apiGet<SloReviewsResponse>(request, s, `/api/v1/slos/${slo.id}/reviews`);
  expect(api.reviews.map((r) => [r.outcome, r.objectiveBefore, r.objectiveAfter, r.version])).toEqual([
    ["keep", 99.9, 99.9, 2],
    ["tighten", 99.5, 99.9, 2],
  ]);
  expect(api.review.lastReviewedAt).toBe(api.reviews[0]!.reviewedAt);
  const after = await apiGet<SloResponse>(request, s, `/api/v1/slos/${slo.id}`);
  expect([after.objectivePercent, after.version]).toEqual([99.9, 2]);

  // the team page now shows the last review instead of "never"
  await page.goto(`${s.baseUrl}/teams/zz-reviews`);
  await expect(dueRow).toBeVisible();
  await expect(dueRow).not.toContainText("never");
});
