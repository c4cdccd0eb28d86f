import { type BrowserContext, test as base, expect } from "@playwright/test";

/** Content-Security-Policy violations the browser reported during the current test. */
const violations: string[] = [];

const VIOLATION = /content security policy/i;

/** Reports the CSP violations of every page in `context`: a blocked script or style is
 * logged to the console, a blocked WebAssembly compile is an uncaught error. */
export function watchCsp(context: BrowserContext) {
  context.on("console", (message) => {
    if (VIOLATION.test(message.text())) {
      violations.push(`${message.location().url}: ${message.text()}`);
    }
  });
  context.on("weberror", (error) => {
    if (VIOLATION.test(String(error.error()))) {
      violations.push(`${error.page()?.url()}: ${error.error()}`);
    }
  });
}

/**
 * Playwright's `test`, failing any test during which a page broke the server's
 * Content-Security-Policy: a policy that blocks a script or style would otherwise
 * only show as a page that silently never hydrates, or looks wrong.
 */
export const test = base.extend<{ cspWatch: void }>({
  cspWatch: [
    async ({ context }, use) => {
      violations.length = 0;
      watchCsp(context);
      await use();
      expect(violations, "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
