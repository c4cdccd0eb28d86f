import * as os from "node:os";
import * as path from "node:path";

/** The directory the server under test runs in: its binary and its SQLite database. */
export function e2eDir(port: number = Number(process.env.UMBRELLA_E2E_PORT ?? 3137)): string {
  return path.join(os.tmpdir(), `umbrella-e2e-${port}`);
}
