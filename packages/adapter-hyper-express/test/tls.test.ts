import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "@anyserver/core";
import { describe, expect, it } from "vitest";
import hyperExpress from "../src/index.ts";

/** A self-signed certificate for 127.0.0.1, made with openssl. */
function selfSigned(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), "anyserver-hyper-express-tls-"));
  try {
    const [key, cert] = [join(dir, "key.pem"), join(dir, "cert.pem")];
    const args = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    const subject = ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"];
    execFileSync("openssl", [...args, "-keyout", key, "-out", cert, "-days", "1", ...subject], {
      stdio: "ignore",
    });
    return { key: readFileSync(key), cert: readFileSync(cert) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function httpsGet(url: URL, ca: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve(body));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("hyper-express adapter over HTTPS", () => {
  it("serves HTTPS with the given certificate and gives the app an https:// URL", async () => {
    const tls = selfSigned();
    const server = await hyperExpress.serve((request) => new Response(request.url), {
      port: 0,
      tls,
      logger: silentLogger,
    });
    try {
      expect(await httpsGet(new URL("/secure", server.url), tls.cert)).toBe(
        `https://127.0.0.1:${server.port}/secure`,
      );
    } finally {
      await server.close({ timeout: 1000 });
    }
  });

  it("says in one line that a certificate it cannot load is unusable", async () => {
    const serving = hyperExpress.serve(() => new Response("never"), {
      port: 0,
      tls: { key: "not a key", cert: "not a certificate" },
      logger: silentLogger,
    });
    await expect(serving).rejects.toThrow(/^uWebSockets\.js could not load the TLS certificate and key\./);
  });
});
