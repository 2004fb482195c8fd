import { useEffect } from "react";

export const APP_NAME = "Burnrate";

/** "<page> · Burnrate", or the app's name alone before the page knows what it shows. */
export function pageTitle(page: string | null | undefined): string {
  return page ? `${page} · ${APP_NAME}` : APP_NAME;
}

/** Sets the tab's title to "<page> · Burnrate" while the page is shown (a page with a name sets it once loaded). */
export function usePageTitle(page: string | null | undefined) {
  useEffect(() => {
    if (page) document.title = pageTitle(page);
  }, [page]);
}

/** The route's title, rendered before its page so that the page's own (more precise) title wins once known. */
export function PageTitle({ page }: { page: string }) {
  usePageTitle(page);
  return null;
}
