import { expect, test } from "./fixtures";
import { DEMO_ADMIN, hydrated, signIn } from "./helpers";

// The WAI-ARIA dialog and menu-button patterns, and a page that fits its window.
// Nothing here changes data: the demo organization is only looked at.

test("Escape closes the Add Account dialog and focus returns to its button", async ({ page }) => {
  await signIn(page, DEMO_ADMIN);
  await hydrated(page);
  const add = page.getByRole("button", { name: "Add Account" });
  await add.click();
  const dialog = page.getByRole("dialog", { name: "Add Account" });
  await expect(dialog).toBeVisible();
  // Focus moved into the dialog, on its first field.
  await expect(dialog.getByRole("textbox").first()).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(add).toBeFocused();
});

test("a row's menu follows the menu-button pattern, and its confirmation gives focus back", async ({ page }) => {
  await signIn(page, DEMO_ADMIN);
  await hydrated(page);
  const button = page.getByRole("button", { name: "Actions for Faculty of Science" });
  const menu = page.getByRole("menu", { name: "Actions for Faculty of Science" });
  await button.focus();
  await page.keyboard.press("ArrowDown");
  await expect(menu.getByRole("menuitem", { name: "CMS Login" })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(menu.getByRole("menuitem", { name: "Block" })).toBeFocused();
  await page.keyboard.press("End");
  await expect(menu.getByRole("menuitem", { name: "Remove" })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(menu.getByRole("menuitem", { name: "CMS Login" })).toBeFocused();
  await page.keyboard.press("ArrowUp");
  await expect(menu.getByRole("menuitem", { name: "Remove" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveCount(0);
  await expect(button).toBeFocused();

  // Enter opens it too; Block asks first, with focus on the choice that changes nothing.
  await page.keyboard.press("Enter");
  await expect(menu.getByRole("menuitem", { name: "CMS Login" })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  const confirm = page.getByRole("dialog", { name: "Block Faculty of Science?" });
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(confirm).toHaveCount(0);
  await expect(button).toBeFocused();
  const row = page.getByRole("table", { name: "Accounts" }).getByRole("row", { name: /Faculty of Science/ });
  await expect(row).toContainText("Active");
});

for (const width of [1280, 390]) {
  test(`at ${width} px the page never scrolls sideways; the table scrolls in its own box`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    await signIn(page, DEMO_ADMIN);
    await hydrated(page);
    const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(pageWidth).toBeLessThanOrEqual(width);
    await expect(page.getByRole("button", { name: "Add Account" })).toBeInViewport();
  });
}

test("a dark theme follows the system's preference", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/login");
  const dark = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  await page.emulateMedia({ colorScheme: "light" });
  const light = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(dark).toBe("rgb(18, 22, 28)");
  expect(light).toBe("rgb(244, 246, 249)");
});
