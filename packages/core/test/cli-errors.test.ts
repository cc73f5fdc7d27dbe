import { chmodSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HELLO_APP, project, runCli } from "./_cli.ts";

/**
 * Each user mistake ends in exactly one line on stderr and exit code 1, never a stack trace;
 * listen failures follow the one progress line that says what was being started.
 */
async function expectOneLine(
  args: string[],
  line: string,
  options: Parameters<typeof runCli>[1] = {},
  progress = "",
) {
  const result = await runCli(args, options);
  expect(result.stderr).toBe(`${progress}${line}\n`);
  expect(result.code).toBe(1);
  return result;
}

describe("anyserver CLI errors", () => {
  let dir: string;
  let blocker: Server;
  let busyPort: number;

  beforeAll(async () => {
    dir = project({
      "app.ts": HELLO_APP,
      "no-fetch.ts": "export const answer = 42;\n",
      "throws.ts": 'throw new Error("database unreachable");\n',
      "broken.js": "export default {{ fetch };\n",
      "broken.ts": "export default {\n  fetch() { return new Response( },\n};\n",
      "imports-broken.js": 'import "./lib/parse-error.js";\nexport default () => new Response("hi");\n',
      "lib/parse-error.js": "export const a = 1;\nexport const b = ;\n",
      "throws-in-function.mts":
        'import { connect } from "./lib/db.mts";\nawait connect();\nexport default () => new Response("hi");\n',
      "lib/db.mts":
        'export async function connect() {\n  throw new Error("ECONNREFUSED 127.0.0.1:5432");\n}\n',
      "app.js": 'export default { fetch: () => new Response("js") };\n',
    });
    chmodSync(dir, 0o755);
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    busyPort = (blocker.address() as { port: number }).port;
  });
  afterAll(() => blocker.close());

  it("says the port is in use", async () => {
    await expectOneLine(
      ["serve", "app.ts", "-p", String(busyPort)],
      `[anyserver] Port ${busyPort} on 127.0.0.1 is already in use. Stop the process using it or choose another port with -p.`,
      { cwd: dir },
      `[anyserver] starting node on http://127.0.0.1:${busyPort}\n`,
    );
  });

  it("says ports below 1024 need rights (run unprivileged: CI is root)", async () => {
    await expectOneLine(
      ["serve", "app.js", "-p", "81"],
      "[anyserver] Permission denied to listen on port 81: ports below 1024 need root. Use a port of 1024 or above, e.g. -p 8080.",
      { cwd: dir, asUser: process.getuid?.() === 0 ? "nobody" : undefined },
      "[anyserver] starting node on http://127.0.0.1:81\n",
    );
  });

  it.each([["abc"], ["-1"], ["65536"], ["80.5"]])("rejects the port value %s", async (port) => {
    await expectOneLine(
      ["serve", "app.ts", `--port=${port}`],
      `[anyserver] Invalid port "${port}" (-p): use a whole number from 0 to 65535.`,
      { cwd: dir },
    );
  });

  it("rejects a bad $PORT", async () => {
    await expectOneLine(
      ["serve", "app.ts"],
      '[anyserver] Invalid port "eighty" ($PORT): use a whole number from 0 to 65535.',
      { cwd: dir, env: { PORT: "eighty" } },
    );
  });

  it("names the known servers for an unknown one", async () => {
    await expectOneLine(
      ["serve", "app.ts", "-s", "tornado"],
      '[anyserver] Unknown server "tornado": no package @anyserver/adapter-tornado or anyserver-adapter-tornado is installed. Known servers: node, fastify, express, koa, uws, hyper-express, cgi, fastcgi, lambda (see: anyserver servers).',
      { cwd: dir },
    );
  });

  it("gives the install command for a known server that is missing", async () => {
    await expectOneLine(
      ["serve", "app.ts", "-s", "fastify"],
      '[anyserver] Server "fastify" is not installed. Run: npm install @anyserver/adapter-fastify',
      { cwd: dir },
    );
  });

  it("uses the project's package manager in the install command", async () => {
    const pnpmProject = project({ "app.ts": HELLO_APP, "pnpm-lock.yaml": "lockfileVersion: '9.0'\n" });
    await expectOneLine(
      ["serve", "app.ts", "-s", "hyper-express"],
      '[anyserver] Server "hyper-express" is not installed. Run: pnpm add @anyserver/adapter-hyper-express',
      { cwd: pnpmProject },
    );
  });

  it("says the entry file is missing", async () => {
    await expectOneLine(
      ["serve", "nope.ts"],
      `[anyserver] Entry file "nope.ts" not found (looked at ${join(dir, "nope.ts")}). Check the path to your app.`,
      { cwd: dir },
    );
  });

  it("says which default entries it looked for", async () => {
    const empty = project({});
    await expectOneLine(
      ["serve"],
      `[anyserver] No entry file given and none of app.ts, app.mts, app.js, app.mjs, src/app.ts, src/app.js, server.ts, server.js exists in ${empty}. Run: anyserver serve path/to/app.ts`,
      { cwd: empty },
    );
  });

  it("says the entry has no fetch export", async () => {
    await expectOneLine(
      ["serve", "no-fetch.ts"],
      '[anyserver] "no-fetch.ts" exports no fetch handler. Export default { fetch(request) { … } }, a function, or a named "fetch" function.',
      { cwd: dir },
    );
  });

  it("reports an entry that throws on import, without its stack", async () => {
    await expectOneLine(
      ["serve", "throws.ts"],
      '[anyserver] Loading "throws.ts" failed: Error: database unreachable',
      {
        cwd: dir,
      },
    );
  });

  it("says in which file and line of the app's code an error was thrown on import", async () => {
    await expectOneLine(
      ["serve", "throws-in-function.mts"],
      '[anyserver] Loading "throws-in-function.mts" failed: Error: ECONNREFUSED 127.0.0.1:5432 (at lib/db.mts:2:9)',
      { cwd: dir },
    );
  });

  it("reports a JavaScript syntax error in one line with its file and line", async () => {
    await expectOneLine(
      ["serve", "broken.js"],
      "[anyserver] Loading \"broken.js\" failed: SyntaxError: Unexpected token '{' (at broken.js:1)",
      { cwd: dir },
    );
  });

  it("names the imported module a syntax error is in, not the entry", async () => {
    await expectOneLine(
      ["serve", "imports-broken.js"],
      "[anyserver] Loading \"imports-broken.js\" failed: SyntaxError: Unexpected token ';' (at lib/parse-error.js:2)",
      { cwd: dir },
    );
  });

  it("reports a TypeScript syntax error in one line with its file, line and column", async () => {
    await expectOneLine(
      ["serve", "broken.ts"],
      '[anyserver] Loading "broken.ts" failed: SyntaxError: Unexpected "}" (at broken.ts:2:34)',
      { cwd: dir },
    );
  });

  it("says HTTP/2 needs TLS", async () => {
    await expectOneLine(
      ["serve", "app.ts", "--http2"],
      "[anyserver] HTTP/2 needs TLS (browsers speak it only over HTTPS): add --tls-cert FILE and --tls-key FILE.",
      { cwd: dir },
    );
  });

  it("rejects an unknown option", async () => {
    await expectOneLine(
      ["serve", "app.ts", "--prot", "80"],
      '[anyserver] Unknown option --prot. Run "anyserver --help" to see the options.',
      {
        cwd: dir,
      },
    );
  });

  it("rejects an option without its value", async () => {
    await expectOneLine(["serve", "app.ts", "-s"], "[anyserver] Option -s, --server needs a value.", {
      cwd: dir,
    });
  });

  it("rejects an unknown command", async () => {
    await expectOneLine(
      ["start"],
      '[anyserver] Unknown command "start". Commands: serve, servers, bench, reload. Run "anyserver --help".',
      {
        cwd: dir,
      },
    );
  });

  it("asks for both TLS files", async () => {
    await expectOneLine(
      ["serve", "app.ts", "--tls-cert", "cert.pem"],
      "[anyserver] HTTPS needs both --tls-cert FILE and --tls-key FILE.",
      {
        cwd: dir,
      },
    );
  });
});
