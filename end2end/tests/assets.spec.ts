import { expect, test } from "./fixtures";
import { hydrated } from "./helpers";

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
