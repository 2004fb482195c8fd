/** The colour theme: the system's (prefers-color-scheme) unless the user chose one, kept in localStorage. */
export type Theme = "light" | "dark";
export const THEME_KEY = "burnrate.theme";

export function storedTheme(): Theme | null {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return v === "light" || v === "dark" ? v : null;
  } catch {
    return null; // storage refused (private mode): the system's theme
  }
}

export function systemTheme(): Theme {
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

/** Puts a chosen theme on <html data-theme>; CSS (`color-scheme`, `light-dark()`) does the rest. */
export function applyTheme(theme: Theme | null) {
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

export function saveTheme(theme: Theme) {
  try {
    localStorage.setItem(THEME_KEY, theme);
  } catch {
    // not kept across loads, still applied now
  }
  applyTheme(theme);
}
