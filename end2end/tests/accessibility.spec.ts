import { expect, test } from "./fixtures";
import { DEMO_ADMIN, UPGRADE_ADMIN, expectNoViolations, hydrated, signIn } from "./helpers";

// axe-core on every screen and dialog, in both colour schemes: zero violations.
// Nothing here changes data: dialogs are opened and closed with Escape.

const SCREENS = [
  "/multi-account",
  "/multi-account?status=all&sort=name",
  "/users",
  "/audit",
  "/api-tokens",
  "/console",
  "/console/entries",
  "/console/categories",
  "/console/playlists",
  "/console/roles",
  "/console/users",
  "/console/bundle",
];

const DIALOGS: [string, string, string][] = [
  ["/multi-account", "Add Account", "Add Account"],
  ["/users", "Add User", "Add User"],
  ["/api-tokens", "Create token", "Create token"],
];

for (const scheme of ["light", "dark"] as const) {
  test.describe(`${scheme} theme`, () => {
    test.beforeEach(async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
    });

    test("the pages anyone reaches signed out", async ({ page }) => {
      await page.goto("/login");
      await expectNoViolations(page, "/login");
      // A refused sign-in (the page has no script: a plain form post and its way back).
      await page.getByLabel("Email").fill("a@b.example");
      await page.getByLabel("Password").fill("not the password at all");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByRole("alert")).toBeVisible();
      await expectNoViolations(page, "/login with an error");
      await page.goto("/activate?token=not-a-token");
      await expectNoViolations(page, "/activate");
      await page.goto("/no/such/page");
      await expectNoViolations(page, "not found");
    });

    test("every console screen", async ({ page }) => {
      await signIn(page, DEMO_ADMIN);
      for (const path of SCREENS) {
        await page.goto(path);
        await hydrated(page);
        await expectNoViolations(page, path);
      }
    });

    test("every dialog, and a row's menu and confirmation", async ({ page }) => {
      await signIn(page, DEMO_ADMIN);
      for (const [path, button, title] of DIALOGS) {
        await page.goto(path);
        await hydrated(page);
        await page.getByRole("button", { name: button }).click();
        await expect(page.getByRole("dialog", { name: title })).toBeVisible();
        await expectNoViolations(page, `${title} dialog`);
        await page.keyboard.press("Escape");
      }
      await page.goto("/multi-account");
      await hydrated(page);
      await page.getByRole("button", { name: "Actions for Faculty of Science" }).click();
      await expect(page.getByRole("menu")).toBeVisible();
      await expectNoViolations(page, "a row's menu");
      await page.getByRole("menuitem", { name: "Block" }).click();
      await expect(page.getByRole("dialog", { name: "Block Faculty of Science?" })).toBeVisible();
      await expectNoViolations(page, "the Block confirmation");
      await page.keyboard.press("Escape");

      // The account console's export, and the import's confirmation (cancelled).
      await page.goto("/console/bundle");
      await hydrated(page);
      await page.getByRole("button", { name: "Export content" }).click();
      await expect(page.getByLabel("Exported bundle")).toBeVisible();
      await page.getByLabel("Bundle to import").fill(await page.getByLabel("Exported bundle").inputValue());
      await page.getByRole("button", { name: "Import content" }).click();
      await expect(page.getByRole("dialog", { name: "Replace all content?" })).toBeVisible();
      await expectNoViolations(page, "the import's confirmation");
      await page.keyboard.press("Escape");
      await expect(page.getByRole("dialog")).toHaveCount(0);
    });

    test("the Users tab's Remove and the API tab's Revoke confirmations", async ({ page }) => {
      await signIn(page, UPGRADE_ADMIN);
      // A user and a token to offer them, made as the pages would, once per theme.
      const headers = { Origin: new URL(page.url()).origin };
      const user = await page.request.post("/api/add_user", {
        headers,
        form: {
          email: `axe-${scheme}@upgrade-org.example`,
          first_name: "Axe",
          last_name: scheme,
          publisher_user_id: "",
          role: "Publisher Administrator",
        },
      });
      expect(user.status(), await user.text()).toBe(200);
      const token = await page.request.post("/api/create_api_token", {
        headers,
        form: { name: `Axe ${scheme}`, access: "read_write", expires_days: "" },
      });
      expect(token.status(), await token.text()).toBe(200);

      await page.goto("/users");
      await hydrated(page);
      await page.getByRole("button", { name: `Remove Axe ${scheme}` }).click();
      await expect(page.getByRole("dialog", { name: `Remove Axe ${scheme}?` })).toBeVisible();
      await expectNoViolations(page, "the Users tab's Remove confirmation");
      await page.keyboard.press("Escape");
      await page.goto("/api-tokens");
      await hydrated(page);
      await page.getByRole("button", { name: `Revoke Axe ${scheme}` }).click();
      await expect(page.getByRole("dialog", { name: `Revoke Axe ${scheme}?` })).toBeVisible();
      await expectNoViolations(page, "the API tab's Revoke confirmation");
      await page.keyboard.press("Escape");
      await expect(page.getByRole("dialog")).toHaveCount(0);
    });
  });
}
