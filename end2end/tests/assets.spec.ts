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

// Pages are the server's; what needs the WASM is an island. The islands of the
// other screens are chunks of their own: the Multi Account tab never loads the Users
// tab's code, and fetches it (download only) when the pointer or the focus reaches
// the Users tab, so that the click finds it in the cache.
test("a screen's island code is fetched only once a link leads there", async ({ page }) => {
  const chunks: string[] = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith(".wasm")) chunks.push(path);
  });
  const usersChunk = (c: string) => /split_users_body_loader/.test(c);
  const categoriesChunk = (c: string) => /split_categories_loader/.test(c);
  await signIn(page, DEMO_ADMIN);
  await hydrated(page);
  expect(chunks.length, "the islands runtime").toBeGreaterThan(0);
  expect(chunks.filter(usersChunk)).toEqual([]);

  const tabs = page.getByRole("navigation", { name: "Console" });
  await tabs.getByRole("link", { name: "Users" }).hover();
  await expect.poll(() => chunks.filter(usersChunk).length).toBe(1);
  await tabs.getByRole("link", { name: "Account", exact: true }).focus();
  // The console's overview has no island: nothing to fetch for it.
  expect(chunks.filter(categoriesChunk)).toEqual([]);

  await tabs.getByRole("link", { name: "Users" }).click();
  await expect(page).toHaveURL(/\/users$/);
  await hydrated(page);
  await expect(page.getByRole("button", { name: "Add User" })).toBeEnabled();
});
