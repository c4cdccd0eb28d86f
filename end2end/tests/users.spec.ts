import { expect, test } from "./fixtures";
import { ACTIONS_ADMIN, hydrated, signIn } from "./helpers";

test("an administrator adds a user, who gets a one-time link, and removes them after confirming", async ({ page }) => {
  await signIn(page, ACTIONS_ADMIN);
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Users" }).click();
  await hydrated(page);
  await expect(page.getByText("Current status: 1 user in use, 2 additional available.")).toBeVisible();

  await page.getByRole("button", { name: "Add User" }).click();
  const dialog = page.getByRole("dialog", { name: "Add User" });
  await dialog.getByLabel("Login email address").fill("not an email");
  await dialog.getByLabel("First Name").fill("Uma");
  await dialog.getByLabel("Last Name").fill("User");
  await dialog.getByLabel("Publisher User ID").fill("EMP-7");
  await expect(dialog.getByLabel("User role")).toHaveValue("Publisher Administrator");
  await dialog.getByRole("button", { name: "Add" }).click();
  await expect(dialog.getByText("Enter an email address such as name@example.com.")).toBeVisible();
  await dialog.getByLabel("Login email address").fill("uma@actions-org.example");
  await dialog.getByRole("button", { name: "Add" }).click();

  await expect(page.getByRole("status")).toContainText("User uma@actions-org.example added");
  await expect(page.locator(".activation-link")).toContainText("/activate?token=");
  const row = page.getByRole("table", { name: "Users" }).getByRole("row", { name: /Uma User/ });
  await expect(row).toContainText("EMP-7");
  await expect(page.getByText("Current status: 2 users in use, 1 additional available.")).toBeVisible();
  // The administrator cannot deactivate or remove themselves: no such buttons.
  await expect(page.getByRole("button", { name: "Remove Ava Actions" })).toHaveCount(0);

  await row.getByRole("button", { name: "Deactivate Uma User" }).click();
  await expect(row).toContainText("Deactivated");
  await row.getByRole("button", { name: "Remove Uma User" }).click();
  await page.getByRole("dialog", { name: "Remove Uma User?" }).getByRole("button", { name: "Remove" }).click();
  await expect(page.getByRole("table", { name: "Users" }).getByRole("row", { name: /Uma User/ })).toHaveCount(0);
  await expect(page.getByText("Current status: 1 user in use, 2 additional available.")).toBeVisible();
});
