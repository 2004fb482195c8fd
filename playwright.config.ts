import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 4318);
/** Debian's Chromium (`apt-get install chromium`); Playwright's own browser download is not used. */
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** The browser never runs under `faketime` (it hangs there); tests/e2e/helpers.ts gives it the suite's clock. */
const browserEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => k !== "LD_PRELOAD" && !k.startsWith("FAKETIME")),
) as Record<string, string>;

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results/playwright",
  timeout: 60_000,
  fullyParallel: false,
  // Two spec files at a time against the one stack: each spec works on its own teams and rows.
  workers: Number(process.env.E2E_WORKERS ?? 2),
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: "chromium",
    headless: true,
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath,
      env: browserEnv,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  webServer: {
    command: "node --import tsx tests/e2e/e2e-server.ts",
    url: `http://127.0.0.1:${port}/readyz`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: { E2E_PORT: String(port) },
  },
});
