import { expect, test } from "./fixtures";
import { DEMO_ADMIN, hydrated, signIn } from "./helpers";

// The release binary's embedded site: the page names content-hashed files, the
// browser gets their Brotli form made at build time and may keep them for a year.
test("the front end's files are hashed, Brotli-compressed and cached for good", async ({ page }) => {
  const assets = new Map<string, { encoding?: string; cache?: string; status: number }>();
  page.on("response", (response) => {
    const path = new URL(response.url()).pathname;
    if (/\.(js|wasm|css|svg)$/.test(path)) {
      const headers = response.headers();
      assets.set(path, {
        encoding: headers["content-encoding"],
        cache: headers["cache-control"],
        status: response.status(),
      });
    }
  });
  await page.goto("/login");
  await hydrated(page);

  const kinds = ["js", "wasm", "css", "svg"];
  for (const kind of kinds) {
    const path = [...assets.keys()].find((p) => p.endsWith(`.${kind}`));
    // The front end in a directory named by its hash, other files renamed one by one.
    expect(path, `a .${kind} file was loaded`).toMatch(new RegExp(`(^/pkg/[0-9a-f]{16}/.*|\\.[0-9a-f]{16})\\.${kind}$`));
    const answer = assets.get(path!)!;
    expect(answer.status).toBe(200);
    expect(answer.cache).toBe("public, max-age=31536000, immutable");
    expect(answer.encoding, path).toBe("br");
  }
});

// Each console screen's code is a chunk of its own: the tab the administrator is on
// fetches the other tabs' chunks once it is interactive, so following a tab does
// not wait for its code.
test("the console's tabs fetch each other's code ahead of the click", async ({ page }) => {
  const chunks: string[] = [];
  page.on("response", (response) => {
    const path = new URL(response.url()).pathname;
    if (path.endsWith(".wasm")) chunks.push(path);
  });
  await signIn(page, DEMO_ADMIN);
  await expect(page.getByRole("heading", { name: "Multi Account" })).toBeVisible();
  await expect.poll(() => chunks.some((c) => c.includes("users_route"))).toBe(true);
  await expect.poll(() => chunks.some((c) => c.includes("audit_route"))).toBe(true);

  const fetchedBefore = chunks.length;
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  await hydrated(page);
  expect(chunks.slice(fetchedBefore).filter((c) => c.includes("users_route"))).toEqual([]);
});
