import { useEffect, useState } from "react";
import { saveTheme, storedTheme, systemTheme, type Theme } from "./theme";

/** A button that switches between light and dark; until pressed, the page follows the system's setting. */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(() => storedTheme() ?? systemTheme());
  useEffect(() => {
    if (storedTheme()) return;
    const mq = window.matchMedia?.("(prefers-color-scheme: dark)");
    const follow = () => setTheme(mq.matches ? "dark" : "light");
    mq?.addEventListener("change", follow);
    return () => mq?.removeEventListener("change", follow);
  }, []);
  const dark = theme === "dark";
  return (
    <button
      type="button"
      className="link theme-toggle"
      aria-pressed={dark}
      title={dark ? "Switch to the light theme" : "Switch to the dark theme"}
      onClick={() => {
        const next: Theme = dark ? "light" : "dark";
        saveTheme(next);
        setTheme(next);
      }}
    >
      <span aria-hidden="true">{dark ? "☾" : "☀"}</span> Dark mode
    </button>
  );
}
