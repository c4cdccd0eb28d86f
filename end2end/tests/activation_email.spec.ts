import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect, test } from "./fixtures";
import { DEMO_ADMIN, activateInNewContext, hydrated } from "./helpers";
import { SmtpSink } from "./smtp-sink";

// `serve --smtp-url`: a second server of the same binary, on its own demo database,
// sends activation links to an SMTP sink this test starts.
test.describe.configure({ mode: "serial" });

const port = Number(process.env.UMBRELLA_E2E_PORT ?? 3137) + 5;
const origin = `http://127.0.0.1:${port}`;
const sink = new SmtpSink();
let server: ChildProcess;
let dir: string;

test.beforeAll(async () => {
  const sinkPort = await sink.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "umbrella-mail-"));
  const bin = process.env.UMBRELLA_BIN ?? "";
  server = spawn(
    bin,
    [
      "--database-url",
      `sqlite://${dir}/mail.db`,
      "serve",
      "--demo",
      "--listen",
      `127.0.0.1:${port}`,
      "--smtp-url",
      `smtp://127.0.0.1:${sinkPort}`,
      "--mail-from",
      "Umbrella <no-reply@umbrella.test>",
    ],
    { stdio: "ignore" },
  );
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${origin}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the server with --smtp-url did not start");
});

test.afterAll(async () => {
  server?.kill();
  await sink.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function signInThere(page: import("@playwright/test").Page) {
  await page.goto(`${origin}/login`);
  await page.getByLabel("Email").fill(DEMO_ADMIN.email);
  await page.getByLabel("Password").fill(DEMO_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/multi-account$/);
  await hydrated(page);
}

async function addAccount(page: import("@playwright/test").Page, name: string, email: string) {
  await page.getByRole("button", { name: "Add Account" }).click();
  const dialog = page.getByRole("dialog", { name: "Add Account" });
  await dialog.getByLabel("Administrator", { exact: true }).fill("Mia Mail");
  await dialog.getByLabel("Account Name", { exact: true }).fill(name);
  await dialog.getByLabel("Administrator Email", { exact: true }).fill(email);
  await dialog.getByLabel("Administrator Phone", { exact: true }).fill("555 0100");
  await dialog.getByLabel("Copy Content from Template Account").selectOption({ label: "None: start with an empty account" });
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog).toHaveCount(0);
}

test("the new owner gets the link by email; Resend sends a new one and the old stops working", async ({
  page,
  browser,
}) => {
  await signInThere(page);
  await addAccount(page, "Mailed Faculty", "mia@mailed.example");
  const notice = page.locator(".activation-notice");
  await expect(notice).toContainText("Activation email sent to mia@mailed.example.");
  await expect(notice.locator(".activation-link")).toHaveCount(0);
  expect(sink.messages).toHaveLength(1);
  expect(sink.messages[0]).toContain("To: mia@mailed.example");
  const first = sink.lastLink();
  expect(first.startsWith(`${origin}/activate?token=`)).toBe(true);

  await notice.getByRole("button", { name: "Resend" }).click();
  await expect(notice).toContainText("A new activation email was sent to mia@mailed.example");
  expect(sink.messages).toHaveLength(2);
  const second = sink.lastLink();
  expect(second).not.toBe(first);

  const old = await browser.newPage();
  await old.goto(first);
  await hydrated(old);
  await old.getByLabel("New password").fill("the owner's new password");
  await old.getByLabel("Repeat the password").fill("the owner's new password");
  await old.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(old.getByRole("alert")).toContainText("not valid");
  await old.close();
  const owner = await activateInNewContext(browser, second, "the owner's new password");
  await owner.context().close();
});

test("a refused email leaves the link to hand over, with the reason and Copy link", async ({ page, context }) => {
  sink.refuse = true;
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
  await signInThere(page);
  await addAccount(page, "Bounced Faculty", "nobody@bounced.example");
  const notice = page.locator(".activation-notice");
  await expect(notice.getByRole("alert")).toContainText("The activation email could not be sent");
  await expect(notice.getByRole("alert")).toContainText("no such mailbox");
  const link = await notice.locator(".activation-link").innerText();
  expect(link.startsWith(`${origin}/activate?token=`)).toBe(true);
  await notice.getByRole("button", { name: "Copy link" }).click();
  await expect(notice).toContainText("Link copied.");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  sink.refuse = false;
});
