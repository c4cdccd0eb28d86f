import { expect, test, watchCsp } from "./fixtures";

import {
  ACTIONS_ADMIN,
  DEMO_ADMIN,
  TINY_ADMIN,
  accountRow,
  createAccountByApi,
  fillAddAccount,
  hydrated,
  signIn,
} from "./helpers";

test.describe("finding accounts (the demo organization, read only)", () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, DEMO_ADMIN);
    await hydrated(page);
  });

  test("each search mode", async ({ page }) => {
    // Partner IDs depend on what the database held before the demo (the Default Template).
    // The second cell: the first holds the row's checkbox.
    const artsId = (await accountRow(page, /Faculty of Arts/).getByRole("cell").nth(1).innerText()).trim();
    expect(artsId).toMatch(/^\d+$/);
    const search = async (mode: string, text: string) => {
      await page.getByLabel("Search by").selectOption({ label: mode });
      await page.getByLabel("Search", { exact: true }).fill(text);
      await page.getByRole("button", { name: "Search", exact: true }).click();
    };
    await search("Account Name", "SCIENCE");
    await expect(page).toHaveURL(/mode=name&q=SCIENCE/);
    await expect(accountRow(page, /Faculty of Science/)).toBeVisible();
    await expect(page.getByRole("table", { name: "Accounts" }).getByRole("row")).toHaveCount(2);

    await search("Partner ID", artsId);
    await expect(accountRow(page, /Faculty of Arts/)).toBeVisible();
    await expect(page.getByRole("table", { name: "Accounts" }).getByRole("row")).toHaveCount(2);

    await search("Free text", "med.demo-university");
    await expect(accountRow(page, /School of Medicine/)).toBeVisible();
    await expect(page.getByRole("table", { name: "Accounts" }).getByRole("row")).toHaveCount(2);

    await search("Partner ID", "abc");
    await expect(page.getByRole("alert")).toContainText("A Partner ID is a whole number");
  });

  test("each status filter, with the counts per status", async ({ page }) => {
    await expect(page.getByLabel("Accounts per status")).toHaveText("Active: 3 · Blocked: 1 · Removed: 1");
    // Each choice loads its view; the next one waits for that page to be interactive.
    const choose = async (label: string, url: RegExp) => {
      await page.getByLabel("Status", { exact: true }).selectOption({ label });
      await expect(page).toHaveURL(url);
      await hydrated(page);
    };
    await choose("Active", /status=active/);
    await expect(accountRow(page, /School of Medicine/)).toHaveCount(0);
    await expect(accountRow(page, /Faculty of Arts/)).toBeVisible();
    await choose("Blocked", /status=blocked/);
    await expect(accountRow(page, /School of Medicine/)).toBeVisible();
    await expect(accountRow(page, /Faculty of Arts/)).toHaveCount(0);
    await choose("Removed", /status=removed/);
    await expect(accountRow(page, /Old Campus Radio/)).toBeVisible();
    await expect(page.getByRole("table", { name: "Accounts" }).getByRole("row")).toHaveCount(2);
    await choose("All Statuses", /status=all/);
    await expect(page.getByRole("table", { name: "Accounts" }).getByRole("row")).toHaveCount(6);
    await choose("Active and Blocked", /\/multi-account$/);
    await expect(page.getByRole("table", { name: "Accounts" }).getByRole("row")).toHaveCount(5);
  });

  test("sorting by column, both ways", async ({ page }) => {
    const firstName = () =>
      page.getByRole("table", { name: "Accounts" }).getByRole("rowheader").first();
    await page.getByRole("link", { name: "Account Name" }).click();
    await expect(page).toHaveURL(/sort=name$/);
    await expect(firstName()).toHaveText("Demo University (Parent)");
    await expect(page.getByRole("columnheader", { name: "Account Name" })).toHaveAttribute("aria-sort", "ascending");
    await page.getByRole("link", { name: "Account Name" }).click();
    await expect(page).toHaveURL(/sort=-name$/);
    await expect(firstName()).toHaveText("School of Medicine");
    await page.getByRole("link", { name: "Partner ID" }).click();
    await expect(firstName()).toHaveText("Demo University (Parent)");
  });

  test("the URL carries the whole view across a reload", async ({ page }) => {
    await page.goto("/multi-account?status=all&mode=name&q=fac&sort=-name");
    await hydrated(page);
    await expect(page.getByLabel("Status", { exact: true })).toHaveValue("all");
    await expect(page.getByLabel("Search by")).toHaveValue("name");
    await expect(page.getByLabel("Search", { exact: true })).toHaveValue("fac");
    const names = page.getByRole("table", { name: "Accounts" }).getByRole("rowheader");
    await expect(names).toHaveText(["Faculty of Science", "Faculty of Arts"]);
    await page.reload();
    await expect(names).toHaveText(["Faculty of Science", "Faculty of Arts"]);
  });
});

test.describe("changing accounts (organizations of their own)", () => {
  test("paging with a page size, by keyset links", async ({ page }) => {
    await signIn(page, ACTIONS_ADMIN);
    for (let i = 0; i < 26; i++) {
      const n = String(i).padStart(2, "0");
      await createAccountByApi(page, `Paged ${n}`, `paged${n}@actions-org.example`);
    }
    await page.reload();
    await hydrated(page);
    await page.getByLabel("Page size").selectOption("25");
    await expect(page).toHaveURL(/size=25/);
    const rows = page.getByRole("table", { name: "Accounts" }).getByRole("rowheader");
    await expect(rows).toHaveCount(25);
    await expect(rows.first()).toHaveText("Paged 25");
    await page.getByRole("link", { name: "Next page" }).click();
    await expect(page).toHaveURL(/after=/);
    await expect(rows).toHaveText(["Paged 00", "Actions Org (Parent)"]);
    await expect(page.getByRole("link", { name: "Next page" })).toHaveCount(0);
    await page.getByRole("link", { name: "First page" }).click();
    await expect(rows.first()).toHaveText("Paged 25");
  });

  test("Add Account: errors beside their fields, then success with the activation link", async ({ page }) => {
    await signIn(page, ACTIONS_ADMIN);
    await hydrated(page);
    await page.getByRole("button", { name: "Add Account" }).click();
    const dialog = page.getByRole("dialog", { name: "Add Account" });
    await expect(dialog.getByLabel("Copy Content from Template Account")).toBeVisible();
    await expect(dialog.getByLabel("Administrator", { exact: true })).toHaveAttribute("aria-required", "true");
    await fillAddAccount(page, {
      admin: "Eve Errors",
      name: "Errors Inc",
      email: "not-an-email",
      phone: "call me",
      website: "www.example.com",
    });
    await expect(dialog.locator("#admin_email-error")).toHaveText("Enter an email address such as name@example.com.");
    await expect(dialog.locator("#admin_phone-error")).toContainText("only digits");
    await expect(dialog.locator("#website_url-error")).toContainText("http:// or https://");
    await expect(dialog.getByLabel("Account Name", { exact: true })).toHaveValue("Errors Inc");
    await expect(dialog.getByLabel("Administrator Email", { exact: true })).toHaveAttribute("aria-invalid", "true");

    await fillAddAccount(page, {
      admin: "Eve Errors",
      name: "Errors Inc",
      email: "eve@errors.example",
      phone: "+1 (555) 010-9999",
      website: "https://errors.example",
      reference: "REF-42",
    });
    await expect(dialog).toHaveCount(0);
    const notice = page.getByRole("status").filter({ hasText: "Errors Inc created" });
    await expect(notice).toContainText("eve@errors.example");
    await expect(notice.locator(".activation-link")).toContainText("/activate?token=");
    const row = accountRow(page, /Errors Inc/);
    await expect(row).toContainText("REF-42");
    await expect(row).toContainText("https://errors.example");
  });

  test("at the quota, creation is refused with a message that says whom to ask", async ({ page }) => {
    await signIn(page, TINY_ADMIN);
    await hydrated(page);
    await page.getByRole("button", { name: "Add Account" }).click();
    await fillAddAccount(page, { admin: "One", name: "The One", email: "one@tiny.example", phone: "555 0101" });
    await expect(accountRow(page, /The One/)).toBeVisible();
    await expect(page.getByText("Current status: 1 account in use, 0 additional remaining.")).toBeVisible();
    await page.getByRole("button", { name: "Add Account" }).click();
    await fillAddAccount(page, { admin: "Two", name: "The Two", email: "two@tiny.example", phone: "555 0102" });
    const dialog = page.getByRole("dialog", { name: "Add Account" });
    await expect(dialog.getByRole("alert")).toContainText("reached its account quota");
    await expect(dialog.getByRole("alert")).toContainText("request an upgrade");
  });

  test("block, unblock and remove, with confirmation; the blocked owner cannot sign in", async ({ page, browser }) => {
    await signIn(page, ACTIONS_ADMIN);
    await hydrated(page);
    await page.getByRole("button", { name: "Add Account" }).click();
    await fillAddAccount(page, { admin: "Bo Blocked", name: "Blockable", email: "bo@blockable.example", phone: "555 0199" });
    const link = await page.locator(".activation-link").innerText();

    // The owner activates the account in a browser of their own.
    const ownerContext = await browser.newContext();
    watchCsp(ownerContext);
    const owner = await ownerContext.newPage();
    await owner.goto(link);
    await hydrated(owner);
    await owner.getByLabel("New password").fill("bo's own password");
    await owner.getByLabel("Repeat the password").fill("bo's own password");
    await owner.getByRole("button", { name: "Set password and sign in" }).click();
    await expect(owner.getByRole("heading", { name: "Overview" })).toBeVisible();

    const row = accountRow(page, /Blockable/);
    // Block asks first; Cancel changes nothing.
    await row.getByRole("button", { name: "Actions for Blockable" }).click();
    await page.getByRole("menuitem", { name: "Block", exact: true }).click();
    const confirm = page.getByRole("dialog", { name: "Block Blockable?" });
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect(row).toContainText("Active");
    await row.getByRole("button", { name: "Actions for Blockable" }).click();
    await page.getByRole("menuitem", { name: "Block", exact: true }).click();
    await confirm.getByRole("button", { name: "Block" }).click();
    await expect(row).toContainText("Blocked");

    // Blocked: the owner's session ends and sign-in says why.
    await owner.reload();
    await expect(owner).toHaveURL(/\/login$/);
    await owner.getByLabel("Email").fill("bo@blockable.example");
    await owner.getByLabel("Password").fill("bo's own password");
    await owner.getByRole("button", { name: "Sign in" }).click();
    await expect(owner.getByRole("alert")).toHaveText("This account is blocked. Contact your organization's administrator.");

    // Unblock needs no confirmation; the menu offers only what applies.
    await row.getByRole("button", { name: "Actions for Blockable" }).click();
    await expect(page.getByRole("menuitem", { name: "Block", exact: true })).toHaveCount(0);
    await page.getByRole("menuitem", { name: "Unblock" }).click();
    await expect(row).toContainText("Active");

    await row.getByRole("button", { name: "Actions for Blockable" }).click();
    await page.getByRole("menuitem", { name: "Remove" }).click();
    await page.getByRole("dialog", { name: "Remove Blockable?" }).getByRole("button", { name: "Remove" }).click();
    await expect(row).toHaveCount(0);
    // A change loads the list again: the filter works once that page is interactive.
    await hydrated(page);
    await page.getByLabel("Status", { exact: true }).selectOption({ label: "Removed" });
    await expect(page).toHaveURL(/status=removed/);
    await hydrated(page);
    const removed = accountRow(page, /Blockable/);
    await expect(removed).toContainText("Removed");
    await expect(removed.getByRole("button", { name: /Actions for/ })).toHaveCount(0);
    // The parent has no actions either.
    await page.getByLabel("Status", { exact: true }).selectOption({ label: "All Statuses" });
    await expect(page).toHaveURL(/status=all/);
    await expect(accountRow(page, /Actions Org \(Parent\)/).getByRole("button", { name: /Actions for/ })).toHaveCount(0);
    await ownerContext.close();
  });
});
