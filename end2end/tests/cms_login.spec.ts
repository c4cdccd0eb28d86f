import { expect, test } from "./fixtures";
import { accountRow, CMS_ADMIN, createAccountByApi, hydrated, signIn } from "./helpers";

test("an administrator steps into an account in a new tab, ends it, and finds it all in the audit log", async ({
  page,
  context,
}) => {
  await signIn(page, CMS_ADMIN);
  await createAccountByApi(page, "Channel One", "owner@channel-one.example");
  await createAccountByApi(page, "Channel Two", "owner@channel-two.example");

  // A user added on the Users tab, for the audit log.
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Users" }).click();
  await hydrated(page);
  await page.getByRole("button", { name: "Add User" }).click();
  const dialog = page.getByRole("dialog", { name: "Add User" });
  await dialog.getByLabel("Login email address").fill("cam@cms-org.example");
  await dialog.getByLabel("First Name").fill("Cam");
  await dialog.getByLabel("Last Name").fill("Colleague");
  await dialog.getByRole("button", { name: "Add" }).click();
  await expect(page.getByRole("status")).toContainText("User cam@cms-org.example added");

  // Block Channel Two: CMS Login is not offered for it.
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Multi Account" }).click();
  await hydrated(page);
  await accountRow(page, /Channel Two/).getByRole("button", { name: "Actions for Channel Two" }).click();
  await page.getByRole("menuitem", { name: "Block" }).click();
  await page.getByRole("dialog", { name: "Block Channel Two?" }).getByRole("button", { name: "Block" }).click();
  await expect(accountRow(page, /Channel Two/)).toContainText("Blocked");
  await accountRow(page, /Channel Two/).getByRole("button", { name: "Actions for Channel Two" }).click();
  await expect(page.getByRole("menuitem", { name: "Unblock" })).toBeVisible();
  await expect(page.getByRole("menuitem", { name: "CMS Login" })).toHaveCount(0);
  await accountRow(page, /Channel Two/).getByRole("button", { name: "Actions for Channel Two" }).click();

  // CMS Login into Channel One opens its console in a new tab, as its owner.
  await accountRow(page, /Channel One/).getByRole("button", { name: "Actions for Channel One" }).click();
  const [cms] = await Promise.all([
    context.waitForEvent("page"),
    page.getByRole("menuitem", { name: "CMS Login" }).click(),
  ]);
  await cms.waitForLoadState();
  await hydrated(cms);
  await expect(cms).toHaveURL(/\/cms\/\d+\/console$/);
  await expect(cms.getByRole("status")).toContainText(
    "Signed in to Channel One as its owner by cora@cms-org.example",
  );
  // It is that account's console, and only that: no Multi Account or Users tab.
  await expect(cms.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(cms.getByRole("link", { name: "Multi Account" })).toHaveCount(0);
  await cms.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Categories" }).click();
  await expect(cms).toHaveURL(/\/cms\/\d+\/console\/categories$/);
  await cms.getByLabel("Name", { exact: true }).fill("Stepped-in News");
  await cms.getByRole("button", { name: "Add category" }).click();
  await expect(cms.getByRole("table", { name: "Categories" })).toContainText("Stepped-in News");

  // Ending it ends that tab's session only.
  await cms.getByRole("button", { name: "End session" }).click();
  await expect(cms.getByRole("heading", { name: "The CMS Login session has ended" })).toBeVisible();
  await cms.goto(cms.url().replace(/\/ended$/, "/console"));
  await expect(cms.getByRole("heading", { name: "The CMS Login session has ended" })).toBeVisible();

  // The administrator's own tab is still signed in.
  await page.reload();
  await hydrated(page);
  await expect(accountRow(page, /Channel One/)).toBeVisible();
  await expect(page.getByRole("banner").getByText("cora@cms-org.example")).toBeVisible();

  // The Audit tab shows who did what, acting as whom.
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Audit" }).click();
  await hydrated(page);
  const log = page.getByRole("table", { name: "Audit log, newest first" });
  const row = (action: string) => log.getByRole("row").filter({ has: page.getByRole("cell", { name: action, exact: true }) });
  await expect(row("CMS Login")).toContainText("cora@cms-org.example");
  await expect(row("Save content")).toContainText("owner@channel-one.example");
  await expect(row("End CMS Login")).toContainText("owner@channel-one.example");
  await expect(row("Add user")).toContainText("Done");
  await expect(row("Block account")).toContainText("Done");
  // Accounts by the name people look for, with the ID the log keeps.
  await expect(row("CMS Login")).toContainText(/Channel One \(\d+\)/);
  await expect(row("Create account")).toHaveCount(2);

  // Filtered by action, through the URL.
  await page.getByLabel("Action").selectOption({ label: "CMS Login" });
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=cms_login.start/);
  await expect(log.getByRole("row")).toHaveCount(2); // the header and the one entry
  await expect(row("CMS Login")).toBeVisible();

  // Filtered by account, by a part of its name.
  await page.goto("/audit");
  await hydrated(page);
  await page.getByLabel("Account (name or Partner ID)").fill("channel one");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/partner_id=channel/);
  await expect(row("CMS Login")).toBeVisible();
  await expect(row("Add user")).toHaveCount(0); // about the parent, not Channel One
  await expect(row("Block account")).toHaveCount(0); // Channel Two
  for (const text of await log.getByRole("row").allInnerTexts()) {
    if (!text.includes("When (UTC)")) expect(text).toMatch(/Channel One \(\d+\)/);
  }

  // A date that is not one is refused beside its field.
  await page.goto("/audit?from=yesterday");
  await hydrated(page);
  await expect(page.getByText('"yesterday" is not a date; write it as YYYY-MM-DD.')).toBeVisible();
});
