import { request } from "@playwright/test";
import { expect, test } from "./fixtures";
import { API_ADMIN, hydrated, signIn } from "./helpers";

test("an administrator makes an API token, a reseller's system uses it, and revoking it stops it", async ({
  page,
  baseURL,
}) => {
  await signIn(page, API_ADMIN);
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "API" }).click();
  await expect(page).toHaveURL(/\/api-tokens$/);
  await hydrated(page);
  const table = page.getByRole("table", { name: "API tokens" });
  await expect(table).toContainText("No tokens yet.");

  await page.getByRole("button", { name: "Create token" }).click();
  const dialog = page.getByRole("dialog", { name: "Create token" });
  await dialog.getByLabel("Expires after (days, empty for never)").fill("0");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByText("A token name is required.")).toBeVisible();
  await expect(dialog.getByText("Expiry is a number of days from 1 to 3650")).toBeVisible();
  await dialog.getByLabel("Name").fill("Billing sync");
  await dialog.getByLabel("Access").selectOption({ label: "Read and write" });
  await dialog.getByLabel("Expires after (days, empty for never)").fill("30");
  await dialog.getByRole("button", { name: "Create" }).click();

  await expect(page.getByRole("status")).toContainText('Token "Billing sync" created (Read and write)');
  const secret = (await page.getByLabel("The new token").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^[0-9a-f]{64}$/);
  const row = table.getByRole("row", { name: /Billing sync/ });
  await expect(row).toContainText("Read and write");
  await expect(row).toContainText(API_ADMIN.email);
  await expect(row.getByRole("cell").nth(3)).toHaveText("Never");

  // The reseller's own system: no browser, no cookie, just the token.
  const api = await request.newContext({
    baseURL,
    extraHTTPHeaders: { Authorization: `Bearer ${secret}` },
  });
  const created = await api.post("/api/v1/accounts", {
    data: {
      name: "Reseller Customer",
      admin_name: "Rita Reseller",
      admin_email: "rita@customer.example",
      admin_phone: "+1 555 0199",
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const found = await api.get("/api/v1/accounts?q=reseller%20customer");
  expect(found.status()).toBe(200);
  expect((await found.json()).accounts.map((a: { name: string }) => a.name)).toEqual(["Reseller Customer"]);

  await page.reload();
  await hydrated(page);
  await expect(row.getByRole("cell").nth(3)).not.toHaveText("Never");

  await row.getByRole("button", { name: "Revoke Billing sync" }).click();
  await page.getByRole("dialog", { name: "Revoke Billing sync?" }).getByRole("button", { name: "Revoke" }).click();
  await expect(table.getByRole("row", { name: /Billing sync/ })).toHaveCount(0);
  const refused = await api.get("/api/v1/organization");
  expect(refused.status()).toBe(401);
  expect(refused.headers()["content-type"]).toBe("application/problem+json");
  await api.dispose();

  // The Audit tab names the token as who made the account.
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Audit" }).click();
  await hydrated(page);
  await expect(page.getByRole("table").first()).toContainText('API token "Billing sync"');
});
