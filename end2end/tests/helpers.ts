import { expect, type Page } from "@playwright/test";

export const DEMO_ADMIN = { email: "admin@demo-university.example", password: "umbrella-demo" };
export const OPERATOR_ADMIN = { email: "olive@operator-org.example", password: "operator-made password" };

/** Waits until the WASM has hydrated the page; a broken front end never gets there. */
export async function hydrated(page: Page) {
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

export async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/multi-account$/);
}
