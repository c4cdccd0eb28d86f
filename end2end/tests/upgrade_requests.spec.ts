import { expect, test } from "./fixtures";
import { UPGRADE_ADMIN, expectNoViolations, hydrated, operator, signIn } from "./helpers";

// "Need more? Request an upgrade" on the Multi Account and Users tabs, and the
// operator's side: the list of pending requests, and set-quota closing one.

test("an administrator asks for more accounts and users; setting the quota answers the request", async ({ page }) => {
  await signIn(page, UPGRADE_ADMIN);
  await hydrated(page);
  await page.getByRole("button", { name: "Request an upgrade" }).click();
  const dialog = page.getByRole("dialog", { name: "Request more accounts" });
  await expect(dialog.getByLabel("How many more")).toBeFocused();
  await expectNoViolations(page, "the upgrade dialog");
  await dialog.getByLabel("How many more").fill("0");
  await dialog.getByRole("button", { name: "Send request" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("Give a whole number from 1 to 100000.");
  await dialog.getByLabel("How many more").fill("25");
  await dialog.getByLabel("Message").fill("Two new faculties open in spring.");
  await dialog.getByRole("button", { name: "Send request" }).click();
  await expect(dialog).toHaveCount(0);
  const pending = page.getByRole("status").filter({ hasText: "Upgrade requested" });
  await expect(pending).toContainText("Upgrade requested: 25 more accounts, by uma@upgrade-org.example");
  // Stored, not just shown: a reload still says so, and offers no second request.
  await page.reload();
  await hydrated(page);
  await expect(pending).toContainText("25 more accounts");
  await expect(page.getByRole("button", { name: "Request an upgrade" })).toHaveCount(0);

  await page.getByRole("link", { name: "Users" }).click();
  await hydrated(page);
  await page.getByRole("button", { name: "Request an upgrade" }).click();
  const users = page.getByRole("dialog", { name: "Request more users" });
  await users.getByLabel("How many more").fill("2");
  await users.getByRole("button", { name: "Send request" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Upgrade requested" })).toContainText("2 more users");

  // The operator sees both, and raising the account quota closes that request only.
  const listed = operator("upgrade-requests");
  const rows = listed
    .trim()
    .split("\n")
    .map((line) => line.split("\t"));
  const accounts = rows.find((r) => r[1] === "Upgrade Org" && r[2] === "accounts");
  expect(accounts, listed).toBeDefined();
  expect(accounts?.slice(2, 5)).toEqual(["accounts", "25", "uma@upgrade-org.example"]);
  expect(accounts?.[6]).toBe("Two new faculties open in spring.");
  operator("set-quota", "--partner-id", accounts?.[0] ?? "", "--accounts", "27");
  expect(operator("upgrade-requests")).not.toMatch(/Upgrade Org\taccounts/);
  expect(operator("upgrade-requests")).toMatch(/Upgrade Org\tusers\t2/);

  await page.getByRole("link", { name: "Multi Account" }).click();
  await hydrated(page);
  await expect(page.getByText("Current status: 0 accounts in use, 27 additional remaining.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Request an upgrade" })).toBeVisible();
});
