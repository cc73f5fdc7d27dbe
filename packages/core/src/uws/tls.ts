import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AnyserverError } from "../errors.ts";
import type { TlsOptions } from "../types.ts";

/** The TLS options uWS (and hyper-express) take: file names, not PEM text. */
export interface UwsTlsFiles {
  cert_file_name: string;
  key_file_name: string;
  passphrase?: string;
}

/**
 * uWS reads certificates from files only, when the app is created: write the PEM to a
 * private temporary folder for as long as `use` runs, then remove it.
 */
export async function withTlsFiles<T>(
  tls: TlsOptions,
  use: (files: UwsTlsFiles) => T | Promise<T>,
): Promise<T> {
  const folder = mkdtempSync(join(tmpdir(), "anyserver-tls-"));
  try {
    const files = { cert_file_name: join(folder, "cert.pem"), key_file_name: join(folder, "key.pem") };
    writeFileSync(files.cert_file_name, tls.cert, { mode: 0o600 });
    writeFileSync(files.key_file_name, tls.key, { mode: 0o600 });
    return await use(tls.passphrase === undefined ? files : { ...files, passphrase: tls.passphrase });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** What to throw when uWS will not create a TLS app: it says only "App construction failed". */
export function tlsRejected(): AnyserverError {
  return new AnyserverError(
    "uWebSockets.js could not load the TLS certificate and key. Check that both are PEM files, that they belong together, and the passphrase.",
    "TLS_INVALID",
  );
}
