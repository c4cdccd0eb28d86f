import { expect, test } from "./fixtures";

import { DEMO_ADMIN, OPERATOR_ADMIN, hydrated, signIn } from "./helpers";

const COLUMNS = [
  "Account Name",
  "Partner ID",
  "Status",
  "Administrator",
  "Admin Email",
  "Admin Phone",
  "Reference ID",
  "Website URL",
  "Creation Date",
];

test("an administrator made with the operator command signs in, sees the tab, and signs out", async ({ page }) => {
  await signIn(page, OPERATOR_ADMIN);
  await expect(page.getByRole("heading", { name: "Multi Account" })).toBeVisible();
  await expect(page.getByText("Current status: 0 accounts in use, 4 additional remaining.")).toBeVisible();
  const table = page.getByRole("table", { name: "Accounts" });
  for (const column of COLUMNS) {
    await expect(table.getByRole("columnheader", { name: column, exact: true })).toBeVisible();
  }
  const parent = table.getByRole("row", { name: /Operator Org \(Parent\)/ });
  await expect(parent).toContainText("Olive Operator");
  await expect(parent).toContainText("olive@operator-org.example");
  await expect(parent).toContainText("N/A");
  // Nothing of the other organization.
  await expect(page.getByText("Demo University")).toHaveCount(0);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/multi-account");
  await expect(page).toHaveURL(/\/login$/);
});

test("the demo administrator sees the seed's accounts with every column", async ({ page }) => {
  await signIn(page, DEMO_ADMIN);
  await expect(page.getByText("Current status: 3 accounts in use, 7 additional remaining.")).toBeVisible();
  const table = page.getByRole("table", { name: "Accounts" });
  const science = table.getByRole("row", { name: /Faculty of Science/ });
  await expect(science).toContainText("Active");
  await expect(science).toContainText("Sam Lee");
  await expect(science).toContainText("sam@science.demo-university.example");
  await expect(science).toContainText("555.010.2000");
  await expect(science).toContainText("SCI-01");
  await expect(science).toContainText("https://science.demo-university.example");
  await expect(science).toContainText(/\d\d\/\d\d\/\d{4} \d\d:\d\d/);
  await expect(table.getByRole("row", { name: /School of Medicine/ })).toContainText("Blocked");
  await expect(table.getByRole("row", { name: /Demo University \(Parent\)/ })).toBeVisible();
  // Removed accounts are not in the default view.
  await expect(table.getByText("Old Campus Radio")).toHaveCount(0);
});

test("the page hydrates: the status filter works in the browser and lives in the URL", async ({ page }) => {
  await signIn(page, DEMO_ADMIN);
  await hydrated(page);
  await page.getByLabel("Status", { exact: true }).selectOption({ label: "All Statuses" });
  await expect(page).toHaveURL(/\?status=all$/);
  const table = page.getByRole("table", { name: "Accounts" });
  await expect(table.getByRole("row", { name: /Old Campus Radio/ })).toContainText("Removed");
  // A reload shows the same view.
  await page.reload();
  await expect(page.getByLabel("Status", { exact: true })).toHaveValue("all");
  await expect(table.getByRole("row", { name: /Old Campus Radio/ })).toBeVisible();
  await page.getByLabel("Status", { exact: true }).selectOption({ label: "Removed" });
  await expect(page).toHaveURL(/\?status=removed$/);
  await expect(table.getByRole("row", { name: /Faculty of Arts/ })).toHaveCount(0);
});

// The page most visits start cold on costs only its HTML and stylesheet: its form
// works without the WASM, which comes with the console's first page.
test("the sign-in page loads no script; wrong credentials get one generic message beside the form", async ({
  page,
}) => {
  const code: string[] = [];
  page.on("request", (request) => {
    if (/\.(js|wasm)$/.test(new URL(request.url()).pathname)) code.push(request.url());
  });
  await page.goto("/login");
  await page.getByLabel("Email").fill(DEMO_ADMIN.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("The email or password is incorrect.");
  await expect(page).toHaveURL(/\/login\?/);
  await expect(page.getByLabel("Email")).toHaveValue(DEMO_ADMIN.email);
  expect(code).toEqual([]);

  await page.getByLabel("Password").fill(DEMO_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/multi-account$/);
  await hydrated(page);
  expect(code.some((url) => url.endsWith(".wasm"))).toBe(true);
});

test("after five wrong passwords the page says when to try again", async ({ page }) => {
  // An email of its own, so that the other tests' sign-ins are not locked out.
  const email = "guessed@nowhere.example";
  await page.goto("/login");
  for (let attempt = 1; attempt <= 5; attempt++) {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(`guess number ${attempt}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toHaveText("The email or password is incorrect.");
  }
  await page.getByLabel("Password").fill("guess number 6");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Too many attempts. Try again in 15 minutes.");
  await expect(page).toHaveURL(/\/login\?/);
});
