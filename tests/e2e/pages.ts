import type { Page } from "@playwright/test";
import { expect, type State } from "./helpers";

/** Every page of the web app on the live stack, with the title it shows once loaded. */
export function everyPage(s: State): { path: string; title: RegExp }[] {
  return [
    { path: "/", title: /^Overview · Burnrate$/ },
    { path: "/alerts", title: /^Alerts · Burnrate$/ },
    { path: "/oncall", title: /^On call · Burnrate$/ },
    { path: "/periods", title: /^Budgets by period · Burnrate$/ },
    { path: "/indicators", title: /^Indicators · Burnrate$/ },
    { path: "/slos/new", title: /^New SLO · Burnrate$/ },
    { path: `/slos/${s.sloId}`, title: /^Cart availability · Burnrate$/ },
    { path: `/slos/${s.sloId}/edit`, title: /^Edit SLO · Burnrate$/ },
    { path: "/teams/payments", title: /^Team Payments · Burnrate$/ },
    { path: "/teams/payments/policy", title: /^Error budget policy · Burnrate$/ },
    { path: "/teams/payments/newsletter", title: /^Newsletter of team payments · Burnrate$/ },
    { path: "/services/checkout", title: /^Checkout · Burnrate$/ },
    { path: "/regions/prod-eu", title: /^Region prod-eu · Burnrate$/ },
    { path: "/slas", title: /^SLAs · Burnrate$/ },
    { path: "/slas/new", title: /^New SLA · Burnrate$/ },
    { path: "/settings", title: /^Settings · Burnrate$/ },
    { path: "/no/such/page", title: /^Not found · Burnrate$/ },
  ];
}

/** Opens a page of the stack and waits until nothing on it says "Loading…" any more. */
export async function openLoaded(page: Page, baseUrl: string, path: string) {
  await page.goto(`${baseUrl}${path}`);
  await expect(page.locator("main")).toBeVisible();
  await expect(page.getByText(/Loading .*…/)).toHaveCount(0, { timeout: 20_000 });
}
