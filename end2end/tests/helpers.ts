import { execFileSync } from "node:child_process";
import AxeBuilder from "@axe-core/playwright";
import * as path from "node:path";
import { type Browser, expect, type Page } from "@playwright/test";
import { watchCsp } from "./fixtures";
import { e2eDir } from "./server-dir";

export const DEMO_ADMIN = { email: "admin@demo-university.example", password: "umbrella-demo" };
export const OPERATOR_ADMIN = { email: "olive@operator-org.example", password: "operator-made password" };
export const ACTIONS_ADMIN = { email: "ava@actions-org.example", password: "actions-org password" };
export const TINY_ADMIN = { email: "tim@tiny-org.example", password: "tiny-org password" };
export const UPGRADE_ADMIN = { email: "uma@upgrade-org.example", password: "upgrade-org password" };
export const BULK_ADMIN = { email: "bo@bulk-org.example", password: "bulk-org password" };

/** axe-core on the page as it is: zero violations, or the list of them. */
export async function expectNoViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`,
  );
  expect(found, what).toEqual([]);
}

/** Waits until the WASM has hydrated the page; a broken front end never gets there.
 * On failure the browser's console is added to the error: a hydration panic is logged there. */
export async function hydrated(page: Page) {
  try {
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  } catch (error) {
    const console = (await page.consoleMessages()).map((m) => `${m.type()}: ${m.text()}`).join("\n");
    throw new Error(`${error}\nBrowser console of ${page.url()}:\n${console}`);
  }
}

/** Signs in through the sign-in page, which ships no script: its form posts. */
export async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/multi-account$/);
}

/** The body rows of the accounts table, by their first cell (the account name). */
export function accountRow(page: Page, name: string | RegExp) {
  return page.getByRole("table", { name: "Accounts" }).getByRole("row", { name });
}

/** Creates an account through the server function, as the signed-in page would;
 * the path of its owner's activation link. */
export async function createAccountByApi(page: Page, name: string, email: string): Promise<string> {
  // As the page's own script sends it: the server refuses changes from other origins.
  const response = await page.request.post("/api/create_account", {
    headers: { Origin: new URL(page.url()).origin },
    form: {
      admin_name: "Api Owner",
      name,
      admin_email: email,
      admin_phone: "555 0100",
      website_url: "",
      reference_id: "",
    },
  });
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()).activation_path;
}

/** Fills and submits the Add Account dialog. */
export async function fillAddAccount(
  page: Page,
  fields: { admin: string; name: string; email: string; phone: string; website?: string; reference?: string },
) {
  const dialog = page.getByRole("dialog", { name: "Add Account" });
  await dialog.getByLabel("Administrator", { exact: true }).fill(fields.admin);
  await dialog.getByLabel("Account Name", { exact: true }).fill(fields.name);
  await dialog.getByLabel("Administrator Email", { exact: true }).fill(fields.email);
  await dialog.getByLabel("Administrator Phone", { exact: true }).fill(fields.phone);
  await dialog.getByLabel("Website URL", { exact: true }).fill(fields.website ?? "");
  await dialog.getByLabel("Reference ID", { exact: true }).fill(fields.reference ?? "");
  await dialog.getByRole("button", { name: "Create" }).click();
}

export const API_ADMIN = { email: "abe@api-org.example", password: "api-org password" };
export const CMS_ADMIN = { email: "cora@cms-org.example", password: "cms-org password" };
export const TEMPLATE_ADMIN = { email: "tina@template-org.example", password: "template-org password" };

/** Runs an operator command against the database of the server under test. */
export function operator(...args: string[]): string {
  const dir = e2eDir();
  return execFileSync(path.join(dir, "umbrella"), ["operator", ...args], {
    env: { ...process.env, DATABASE_URL: `sqlite://${dir}/e2e.db` },
    encoding: "utf8",
  });
}

/** Opens a one-time activation link in a browser of its own and sets the password. */
export async function activateInNewContext(browser: Browser, link: string, password: string): Promise<Page> {
  const context = await browser.newContext();
  watchCsp(context);
  const page = await context.newPage();
  await page.goto(link);
  await hydrated(page);
  await page.getByLabel("New password").fill(password);
  await page.getByLabel("Repeat the password").fill(password);
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await hydrated(page);
  return page;
}
