import { defineConfig } from "@playwright/test";
import { e2eDir } from "./tests/server-dir";

// The release binary under test; the Makefile passes it in.
const bin = process.env.UMBRELLA_BIN;
if (!bin) {
  throw new Error("Set UMBRELLA_BIN to the release umbrella binary (make test-e2e does).");
}
const port = Number(process.env.UMBRELLA_E2E_PORT ?? 3137);
// Where the server under test runs and keeps its database (see tests/helpers.ts).
const dir = e2eDir(port);

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 7_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium: Playwright's own browser download is not reachable here.
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium" }],
  webServer: {
    // Copies the binary alone into an empty directory, seeds it and serves from there:
    // the test proves the one binary carries the whole site.
    command: `bash ./serve-for-tests.sh "${bin}" ${port} "${dir}"`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
