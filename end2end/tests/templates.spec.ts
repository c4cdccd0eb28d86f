import { expect, test } from "./fixtures";
import { DEMO_ADMIN, TEMPLATE_ADMIN, activateInNewContext, fillAddAccount, hydrated, operator, signIn } from "./helpers";

test("fill a template in its console, create an account from it, and find the copy there", async ({ page, browser }) => {
  // The organization's administrator adds the account that will become the template, empty.
  await signIn(page, TEMPLATE_ADMIN);
  await hydrated(page);
  await page.getByRole("button", { name: "Add Account" }).click();
  await page.getByLabel("Copy Content from Template Account").selectOption({ label: "None: start with an empty account" });
  await fillAddAccount(page, { admin: "Terry Template", name: "Jazz Template", email: "terry@jazz-template.example", phone: "555 0101" });
  const notice = page.getByRole("status").filter({ hasText: "Jazz Template" });
  const partnerId = (await notice.innerText()).match(/Partner ID (\d+)/)?.[1];
  expect(partnerId).toBeTruthy();
  const templateLink = await page.locator(".activation-link").innerText();

  // Its owner fills it through the account console.
  const owner = await activateInNewContext(browser, templateLink, "terry's own password");
  await expect(owner.getByRole("row", { name: /Entries 0/ })).toBeVisible();
  await owner.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Categories" }).click();
  await hydrated(owner);
  await owner.getByLabel("Name", { exact: true }).fill("Concerts");
  await owner.getByRole("button", { name: "Add category" }).click();
  await expect(owner.getByRole("table", { name: "Categories" })).toContainText("Concerts");
  await owner.getByLabel("Name", { exact: true }).fill("Jazz");
  await owner.getByLabel("Parent category").selectOption({ label: "Concerts" });
  await owner.getByRole("button", { name: "Add category" }).click();
  await expect(owner.getByRole("table", { name: "Categories" })).toContainText("Concerts › Jazz");
  // Sibling names must differ, and the message says so beside the field.
  await owner.getByLabel("Name", { exact: true }).fill("Jazz");
  await owner.getByLabel("Parent category").selectOption({ label: "Concerts" });
  await owner.getByRole("button", { name: "Add category" }).click();
  await expect(owner.getByText("Another category with the same parent already has this name.")).toBeVisible();

  await owner.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Entries" }).click();
  await hydrated(owner);
  await owner.getByLabel("Name", { exact: true }).fill("Opening Night");
  await owner.getByLabel("Media Type").selectOption("video");
  await owner.getByLabel("Tags (comma-separated)").fill("live, jazz");
  await owner.getByLabel("Concerts › Jazz").check();
  await owner.getByRole("button", { name: "Add entry" }).click();
  const entries = owner.getByRole("table", { name: "Entries" });
  await expect(entries.getByRole("row", { name: /Opening Night/ })).toContainText("Concerts › Jazz");

  await owner.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Playlists" }).click();
  await hydrated(owner);
  await owner.getByLabel("Name", { exact: true }).fill("Season");
  await owner.getByLabel("Entry to add").selectOption({ label: "Opening Night" });
  await owner.getByRole("button", { name: "Add to playlist" }).click();
  await expect(owner.getByRole("list", { name: "Playlist entries" })).toContainText("Opening Night");
  await owner.getByRole("button", { name: "Add playlist" }).click();
  await expect(owner.getByRole("table", { name: "Playlists" })).toContainText("Season");

  // The operator marks it as a template.
  expect(operator("set-template", "--partner-id", partnerId!)).toContain("is now a template");

  // The administrator creates an account from it and sees what it will copy.
  await page.reload();
  await hydrated(page);
  await page.getByRole("button", { name: "Add Account" }).click();
  const select = page.getByLabel("Copy Content from Template Account");
  await expect(select.getByRole("option", { name: "Default Template" })).toBeAttached();
  await select.selectOption({ label: "Jazz Template" });
  const copies = page.getByRole("list", { name: "What Jazz Template copies" });
  await expect(copies).toContainText("Entries: 1");
  await expect(copies).toContainText("Categories: 2");
  await expect(copies).toContainText("Playlists: 1");
  await fillAddAccount(page, { admin: "Jo Jazz", name: "Jazz Channel", email: "jo@jazz-channel.example", phone: "555 0102" });
  await expect(page.getByRole("status").filter({ hasText: "Jazz Channel" })).toBeVisible();
  const copyLink = await page.locator(".activation-link").innerText();

  // The new account's owner signs in and finds the copied content.
  const jo = await activateInNewContext(browser, copyLink, "jo's own password");
  await expect(jo.getByRole("row", { name: /Entries 1/ })).toBeVisible();
  const joSection = (name: string) =>
    jo.getByRole("navigation", { name: "Account" }).getByRole("link", { name, exact: true }).click();
  await joSection("Entries");
  await expect(jo.getByRole("table", { name: "Entries" }).getByRole("row", { name: /Opening Night/ })).toContainText("Concerts › Jazz");
  await joSection("Playlists");
  await expect(jo.getByRole("table", { name: "Playlists" }).getByRole("row", { name: /Season/ })).toContainText("Opening Night");

  // The copy is its own: deleting it there leaves the template as it was.
  await joSection("Categories");
  await jo.getByRole("button", { name: "Delete Concerts", exact: true }).click();
  const confirm = jo.getByRole("dialog", { name: "Delete category Concerts?" });
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(jo.getByText("This account has no categories yet.")).toBeVisible();
  await owner.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Categories", exact: true }).click();
  await expect(owner.getByRole("table", { name: "Categories" })).toContainText("Concerts › Jazz");

  // Templates cannot be blocked or removed by the administrator; CMS Login (to edit
  // the template's content) is all their menu offers.
  await page.reload();
  await hydrated(page);
  const templateRow = page.getByRole("table", { name: "Accounts" }).getByRole("row", { name: /Jazz Template/ });
  await templateRow.getByRole("button", { name: "Actions for Jazz Template" }).click();
  await expect(page.getByRole("menuitem", { name: "CMS Login" })).toBeVisible();
  await expect(page.getByRole("menuitem", { name: /Block|Remove/ })).toHaveCount(0);
});

test("an account's content is exported and a bad bundle is refused naming the item", async ({ page }) => {
  await signIn(page, DEMO_ADMIN);
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Account", exact: true }).click();
  await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Export and import" }).click();
  await hydrated(page);
  await page.getByRole("button", { name: "Export content" }).click();
  await expect(page.getByLabel("Exported bundle")).toHaveValue(/"format": "umbrella-content\/1"/);
  await page.getByLabel("Bundle to import").fill('{"format":"umbrella-content/1","players":[{"name":"Tiny","width":0,"height":10}]}');
  await page.getByRole("button", { name: "Import content" }).click();
  await page.getByRole("dialog", { name: "Replace all content?" }).getByRole("button", { name: "Replace content" }).click();
  await expect(page.getByRole("alert")).toContainText('players[0] "Tiny".width');
});
