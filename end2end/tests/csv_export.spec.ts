import { readFile } from "node:fs/promises";
import { expect, test } from "./fixtures";
import { DEMO_ADMIN, hydrated, signIn } from "./helpers";

// "Export CSV" hands the current view, every page, to a spreadsheet.
test("Export CSV downloads the current filter with the table's columns", async ({ page }) => {
  await signIn(page, DEMO_ADMIN);
  await hydrated(page);
  await page.getByLabel("Status", { exact: true }).selectOption({ label: "All Statuses" });
  await expect(page).toHaveURL(/\?status=all$/);

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^accounts-\d{4}-\d\d-\d\d\.csv$/);
  const text = await readFile(await file.path(), "utf8");
  expect(text.startsWith("\uFEFF")).toBe(true);
  const lines = text.slice(1).trimEnd().split("\r\n");
  expect(lines[0]).toBe(
    "Account Name,Partner ID,Status,Administrator,Admin Email,Admin Phone,Reference ID,Website URL,Creation Date (UTC)",
  );
  // The filter is the page's: the removed account is in, and so is the parent.
  expect(lines.some((l) => l.startsWith("Old Campus Radio,") && l.includes(",Removed,"))).toBe(true);
  expect(lines.some((l) => l.startsWith("Demo University (Parent),"))).toBe(true);
  // The page stays where it was.
  await expect(page).toHaveURL(/\/multi-account\?status=all$/);
});
