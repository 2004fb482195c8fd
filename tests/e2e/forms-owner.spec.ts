import { expect, shot, signIn, test, waitState } from "./helpers";
import { FORMS_TEAM, storefront } from "./forms-fixture";

type DryRun = { rows: { slo: string; region: string; results: { conditionId: string; met: boolean }[] }[] };

test("product owner: builds a policy in the form (no JSON) and sees which SLOs meet it now", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const s = await waitState();
  await storefront(request, s);
  await signIn(page, s);

  // payments' policy, changed in the form without saving: the panel judges the conditions as they are typed
  await page.goto(`${s.baseUrl}/teams/payments/policy`);
  await page.getByRole("button", { name: "Edit policy" }).click();
  const form = page.getByRole("form", { name: "Policy form" });
  await expect(form.locator("textarea.code")).toHaveCount(0);
  await expect(form.getByTestId("condition-form-row")).toHaveCount(2);
  await form.getByRole("button", { name: "Add a condition" }).click();
  const added = form.getByTestId("condition-form-row").nth(2);
  await added.getByLabel("Condition", { exact: true }).selectOption("exhausted");
  await added.getByLabel("Condition name").fill("budget-gone");
  await added.getByLabel("Consequence", { exact: true }).selectOption("release_freeze");
  await added.getByLabel("Regions").fill("prod-eu");
  // what the API says for these conditions, and what the panel shows
  const api = await request.post(`${s.baseUrl}/api/v1/teams/payments/policy/dry-run`, {
    headers: { authorization: `Bearer ${s.token}` },
    data: { conditions: [{ id: "budget-gone", type: "exhausted" }] },
  });
  expect(api.status()).toBe(200);
  const meeting = ((await api.json()) as DryRun).rows.filter((r) => r.results[0]!.met);
  expect(meeting.map((r) => `${r.slo} in ${r.region}`)).toContain("Cart availability in prod-eu");
  const panel = page.getByRole("region", { name: "Which SLOs meet this now" }).last();
  const item = panel.getByTestId("meets-condition").filter({ hasText: "budget-gone" });
  await expect(item.getByTestId("meets-slo")).toHaveCount(meeting.length, { timeout: 15_000 });
  await expect(item).toContainText("Cart availability in prod-eu");

  // a bad figure is named at its row in plain words; the panel keeps its last answer; fixing it clears the error
  const first = form.getByTestId("condition-form-row").first();
  await first.getByLabel("Percent of the budget").fill("170");
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(first).toContainText("Percent must be at most 100%");
  await expect(panel).toContainText("last valid conditions");
  await first.getByLabel("Percent of the budget").fill("70");
  await expect(first).not.toContainText("Percent must be at most 100%");
  await expect(panel).not.toContainText("last valid conditions", { timeout: 10_000 });
  await shot(page, "forms-policy-form");
  await page.getByRole("button", { name: "Cancel" }).click();

  // the storefront team writes its first policy from the form's template and saves it
  await page.goto(`${s.baseUrl}/teams/${FORMS_TEAM}/policy`);
  await page.getByRole("button", { name: "Write the policy" }).click();
  await expect(form.getByTestId("condition-form-row")).toHaveCount(4);
  await form.getByLabel("Reason for this change").fill("first version, from the book's template");
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByTestId("condition-row")).toHaveCount(4);
  await expect(page.getByRole("region", { name: "Which SLOs meet this now" })).toBeVisible();
  await shot(page, "forms-policy-saved");
});
