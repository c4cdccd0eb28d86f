// make bench-web: each main screen loaded cold (empty cache) and warm (cache
// kept) in Debian's Chromium, 10 loads each; prints the compressed bytes
// transferred (JS + WASM, and everything), time to first paint and time to
// hydrated (the front end marks <body data-hydrated>), as p50s. The sign-in page
// ships no script (its form works without one): it is ready at its load event.
// Never fails on time.
//
// BASE_URL: the running release binary (scripts/bench-web.sh starts it).
import { chromium } from "@playwright/test";

const base = process.env.BASE_URL;
const loads = Number(process.env.BENCH_LOADS ?? 10);
const admin = { email: "admin@demo-university.example", password: "umbrella-demo" };
const screens = [
  { name: "Sign-in page", path: "/login", signedIn: false, scriptless: true },
  { name: "Multi Account tab", path: "/multi-account", signedIn: true },
  { name: "Users tab", path: "/users", signedIn: true },
  { name: "Audit tab", path: "/audit", signedIn: true },
  { name: "Account console", path: "/console", signedIn: true },
];

// When <body data-hydrated="true"> appears, in the page's own clock.
const watchHydration = () => {
  const mark = () => {
    if (document.body?.dataset.hydrated === "true" && window.__hydratedAt === undefined) {
      window.__hydratedAt = performance.now();
    }
  };
  new MutationObserver(mark).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-hydrated"] });
};

async function sessionCookie() {
  const response = await fetch(`${base}/api/sign_in`, {
    method: "POST",
    headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(admin).toString(),
    redirect: "manual",
  });
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("umbrella_session="));
  if (!cookie) throw new Error(`sign-in failed: ${response.status}`);
  const [name, value] = cookie.split(";")[0].split("=");
  return { name, value, url: base };
}

// One load: bytes on the wire by kind, first paint and ready (hydrated, or for a
// page without script its load event), in ms.
async function load(page, cdp, url, scriptless) {
  const bytes = { code: 0, all: 0 };
  const kinds = new Map();
  const onResponse = (e) => kinds.set(e.requestId, e.response.url);
  const onFinished = (e) => {
    const path = new URL(kinds.get(e.requestId) ?? base).pathname;
    bytes.all += e.encodedDataLength;
    if (/\.(js|wasm)$/.test(path)) bytes.code += e.encodedDataLength;
  };
  cdp.on("Network.responseReceived", onResponse);
  cdp.on("Network.loadingFinished", onFinished);
  await page.goto(url, { waitUntil: "load" });
  if (!scriptless) {
    await page.waitForFunction(() => window.__hydratedAt !== undefined, null, { timeout: 30_000 });
  }
  const timing = await page.evaluate(() => ({
    paint: performance.getEntriesByName("first-paint")[0]?.startTime ?? NaN,
    hydrated: window.__hydratedAt ?? performance.getEntriesByType("navigation")[0]?.loadEventEnd,
  }));
  cdp.off("Network.responseReceived", onResponse);
  cdp.off("Network.loadingFinished", onFinished);
  return { ...bytes, ...timing };
}

const p50 = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
});
const cookie = await sessionCookie();
const rows = [];
for (const screen of screens) {
  const url = `${base}${screen.path}`;
  const cold = [];
  const warm = [];
  for (let i = 0; i < loads; i++) {
    // Cold: a new profile, nothing cached. Warm: the same page loaded again.
    const context = await browser.newContext();
    if (screen.signedIn) await context.addCookies([cookie]);
    await context.addInitScript(watchHydration);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    cold.push(await load(page, cdp, url, screen.scriptless));
    warm.push(await load(page, cdp, url, screen.scriptless));
    await context.close();
  }
  for (const [kind, runs] of [["cold", cold], ["warm", warm]]) {
    rows.push({
      screen: screen.name,
      load: kind,
      "JS+WASM KB": (p50(runs.map((r) => r.code)) / 1000).toFixed(1),
      "all KB": (p50(runs.map((r) => r.all)) / 1000).toFixed(1),
      "first paint ms": p50(runs.map((r) => r.paint)).toFixed(0),
      "ready ms": p50(runs.map((r) => r.hydrated)).toFixed(0),
    });
  }
}
await browser.close();
console.log(`\np50 of ${loads} loads each (compressed bytes as transferred, times from navigation start;`);
console.log("ready: hydrated, or for the sign-in page, which ships no script, its load event)");
console.table(rows);
