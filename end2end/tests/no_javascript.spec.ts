import { expect, test } from "./fixtures";

import { ACTIONS_ADMIN, DEMO_ADMIN, createAccountByApi, hydrated, signIn } from "./helpers";

// A person on a slow connection submits before the WASM has loaded, or has
// JavaScript off: the forms still end on a real page, with the error beside its field.

test.describe("with JavaScript off", () => {
  test.use({ javaScriptEnabled: false });

  test("sign-in: a wrong password shows the message on the sign-in page, then the right one signs in", async ({
    page,
  }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(DEMO_ADMIN.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/login\?/);
    await expect(page.getByRole("alert")).toHaveText("The email or password is incorrect.");
    await expect(page.getByText('"SignInRefused"')).toHaveCount(0);
    // The email comes back; the password never does.
    await expect(page.getByLabel("Email")).toHaveValue(DEMO_ADMIN.email);
    await expect(page.getByLabel("Password")).toHaveValue("");

    await page.getByLabel("Password").fill(DEMO_ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/multi-account$/);
    await expect(page.getByRole("heading", { name: "Multi Account" })).toBeVisible();
    // What only the WASM can do says so: disabled, not silently dead.
    await expect(page.getByRole("button", { name: "Add Account" })).toBeDisabled();
    await expect(page.getByRole("button", { name: /^Actions for / }).first()).toBeDisabled();
  });

  test("a console form: added, then refused with the message beside its field", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(ACTIONS_ADMIN.email);
    await page.getByLabel("Password").fill(ACTIONS_ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/multi-account$/);
    await page.goto("/console/categories");
    await page.getByLabel("Name", { exact: true }).fill("Plain Form Shows");
    await page.getByRole("button", { name: "Add category" }).click();
    await expect(page).toHaveURL(/\/console\/categories$/);
    await expect(page.getByRole("table", { name: "Categories" })).toContainText("Plain Form Shows");
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue("");

    await page.getByLabel("Name", { exact: true }).fill("Plain Form Shows");
    await page.getByRole("button", { name: "Add category" }).click();
    await expect(page).toHaveURL(/\/console\/categories\?/);
    await expect(page.getByLabel("Name", { exact: true })).toHaveAccessibleDescription(
      "Another category with the same parent already has this name.",
    );
    // What was typed is still there to correct.
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Plain Form Shows");

    // An entry without its name: refused beside the field, the rest kept.
    await page.goto("/console/entries");
    await expect(page.getByLabel("Plain Form Shows")).toBeDisabled();
    await page.getByLabel("Description").fill("Typed before the refusal");
    await page.getByLabel("Tags (comma-separated)").fill("kept, tags");
    await page.getByRole("button", { name: "Add entry" }).click();
    await expect(page).toHaveURL(/\/console\/entries\?/);
    await expect(page.getByLabel("Name", { exact: true })).toHaveAccessibleDescription(/required/);
    await expect(page.getByLabel("Description")).toHaveValue("Typed before the refusal");
    await expect(page.getByLabel("Tags (comma-separated)")).toHaveValue("kept, tags");
  });
});

test("buttons that need the WASM are enabled once it has loaded", async ({ page }) => {
  await signIn(page, DEMO_ADMIN);
  await hydrated(page);
  await expect(page.getByRole("button", { name: "Add Account" })).toBeEnabled();
  await expect(page.getByRole("button", { name: /^Actions for / }).first()).toBeEnabled();
});

test("activation with JavaScript off: a too-short password is named beside its field", async ({ page, browser }) => {
  await signIn(page, ACTIONS_ADMIN);
  const link = await createAccountByApi(page, "No Script Channel", "noscript@actions-org.example");
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await plain.goto(link);
  await plain.getByLabel("New password").fill("short");
  await plain.getByLabel("Repeat the password").fill("short");
  await plain.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(plain).toHaveURL(/\/activate\?/);
  // Beside its field: the message is the field's description.
  await expect(plain.getByLabel("New password")).toHaveAccessibleDescription(/at least 10 characters/);
  await expect(plain.getByLabel("New password")).toHaveValue("");
  // The link still works: the right password signs in.
  await plain.getByLabel("New password").fill("a long enough password");
  await plain.getByLabel("Repeat the password").fill("a long enough password");
  await plain.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(plain.getByRole("heading", { name: "Overview" })).toBeVisible();
  await context.close();
});

test("sign-in submitted before the WASM has loaded ends on a page, for both outcomes", async ({ page }) => {
  // Hold the WASM back until the form has been sent, as a slow connection would.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route("**/*.wasm", async (route) => {
    await held;
    await route.continue().catch(() => {});
  });
  await page.goto("/login");
  await page.getByLabel("Email").fill(DEMO_ADMIN.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/login\?/);
  await expect(page.getByRole("alert")).toHaveText("The email or password is incorrect.");

  await page.getByLabel("Password").fill(DEMO_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/multi-account$/);
  release();
  await expect(page.getByRole("heading", { name: "Multi Account" })).toBeVisible();
});
