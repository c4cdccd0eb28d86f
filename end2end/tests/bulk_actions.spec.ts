import { expect, test } from "./fixtures";
import { BULK_ADMIN, accountRow, createAccountByApi, expectNoViolations, hydrated, signIn } from "./helpers";

// Bulk actions on the Bulk Org (its own organization: these tests change it).
// The steps run in order, as an administrator would take them at the end of a term.
test.describe.configure({ mode: "serial" });

const COUNT = 30;
const name = (i: number) => `Term ${String(i).padStart(2, "0")}`;

test("tick rows, block them with one confirmation, read the result per account", async ({ page }) => {
  await signIn(page, BULK_ADMIN);
  for (let i = 0; i < COUNT; i++) {
    await createAccountByApi(page, name(i), `term${i}@bulk-org.example`);
  }
  await page.goto("/multi-account?size=25&sort=name");
  await hydrated(page);
  await page.getByRole("checkbox", { name: `Select ${name(3)}` }).check();
  await page.getByRole("checkbox", { name: `Select ${name(7)}` }).check();
  const bar = page.getByRole("region", { name: "Selected accounts" });
  await expect(bar).toContainText("2 selected.");
  await expectNoViolations(page, "the bulk bar");
  await bar.getByRole("button", { name: "Block selected", exact: true }).click();
  const confirm = page.getByRole("dialog", { name: "Block 2 accounts?" });
  await expect(confirm).toContainText("are skipped and listed at the end");
  await expectNoViolations(page, "the bulk confirmation");
  await confirm.getByRole("button", { name: "Block", exact: true }).click();
  await expect(confirm).toHaveCount(0);

  const panel = page.getByRole("region", { name: "Bulk action finished" });
  await expect(panel.getByRole("status")).toHaveText("2 blocked, 0 skipped.");
  const results = panel.getByRole("table", { name: "Results" });
  await expect(results.getByRole("row", { name: new RegExp(name(3)) })).toContainText("Done");
  await expect(results.getByRole("row", { name: new RegExp(name(7)) })).toContainText("Done");
  await expect(panel.getByRole("progressbar", { name: "Blocking accounts: 2 of 2" })).toBeVisible();
  // The list shows what the job did, and the selection is gone.
  await expect(accountRow(page, new RegExp(name(3)))).toContainText("Blocked");
  await expect(bar).toHaveCount(0);
  await expectNoViolations(page, "the bulk result panel");

  // The job is the server's: a reload finds its panel as it was.
  await page.reload();
  await hydrated(page);
  await expect(panel.getByRole("status")).toHaveText("2 blocked, 0 skipped.");
  await panel.getByRole("button", { name: "Dismiss" }).click();
  await expect(panel).toHaveCount(0);
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("region", { name: /Bulk action/ })).toHaveCount(0);
});

test("select a page, then every matching account, and remove them; the parent is skipped with its reason", async ({
  page,
}) => {
  await signIn(page, BULK_ADMIN);
  await page.goto("/multi-account?size=25&sort=name");
  await hydrated(page);
  await page.getByRole("checkbox", { name: "Select all on this page" }).check();
  const bar = page.getByRole("region", { name: "Selected accounts" });
  await expect(bar).toContainText("25 selected.");
  // Active and Blocked, as the view shows: the thirty and the parent.
  const all = bar.getByRole("button", { name: `Select all ${COUNT + 1} matching` });
  await all.click();
  await expect(bar).toContainText(`All ${COUNT + 1} matching accounts selected.`);
  await expect(page.getByRole("checkbox", { name: `Select ${name(0)}` })).toBeChecked();
  await bar.getByRole("button", { name: "Remove selected" }).click();
  const confirm = page.getByRole("dialog", { name: `Remove ${COUNT + 1} accounts?` });
  await confirm.getByRole("button", { name: "Remove", exact: true }).click();

  const panel = page.getByRole("region", { name: "Bulk action finished" });
  await expect(panel.getByRole("status")).toHaveText(`${COUNT} removed, 1 skipped.`);
  const results = panel.getByRole("table", { name: "Results" });
  // Skipped accounts come first, with the reason.
  await expect(results.getByRole("row").nth(1)).toContainText("Skipped: The parent account cannot be changed.");
  await expect(results.getByRole("row")).toHaveCount(COUNT + 2);
  // Only the parent is left in the default view; the quota has its places back.
  await expect(page.getByRole("table", { name: "Accounts" }).getByRole("row")).toHaveCount(2);
  await expect(page.getByText("Current status: 0 accounts in use, 40 additional remaining.")).toBeVisible();

  // Every account's change is in the audit log, in the administrator's name.
  await page.goto("/audit?action=account.remove");
  await hydrated(page);
  await expect(page.getByRole("table").getByRole("row")).toHaveCount(COUNT + 1);
});
