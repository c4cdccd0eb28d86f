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
  await signIn(page, DEMO_ADMIN);
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

// Each console screen's code is a chunk of its own, fetched when the pointer (or the
// focus) reaches its tab, so that the click itself does not wait for it.
test("a console tab fetches its screen's code before the click", async ({ page }) => {
  const chunks: string[] = [];
  page.on("response", (response) => {
    const path = new URL(response.url()).pathname;
    if (path.endsWith(".wasm")) chunks.push(path);
  });
  await signIn(page, DEMO_ADMIN);
  await expect(page.getByRole("heading", { name: "Multi Account" })).toBeVisible();
  const tabs = page.getByRole("navigation", { name: "Console" });
  expect(chunks.some((c) => c.includes("users_route"))).toBe(false);

  await tabs.getByRole("link", { name: "Users" }).hover();
  await expect.poll(() => chunks.some((c) => c.includes("users_route"))).toBe(true);
  await tabs.getByRole("link", { name: "Audit" }).focus();
  await expect.poll(() => chunks.some((c) => c.includes("audit_route"))).toBe(true);

  const fetchedBefore = chunks.length;
  await tabs.getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  await hydrated(page);
  expect(chunks.slice(fetchedBefore).filter((c) => c.includes("users_route"))).toEqual([]);
});
