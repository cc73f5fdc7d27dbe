import { describe, expect, it } from "vitest";
import { isHeaderName } from "../src/header-name.ts";

describe("isHeaderName", () => {
  it("matches a lower-case name in any ASCII case", () => {
    expect(isHeaderName("content-length", "content-length")).toBe(true);
    expect(isHeaderName("Content-Length", "content-length")).toBe(true);
    expect(isHeaderName("CONTENT-LENGTH", "content-length")).toBe(true);
    expect(isHeaderName("x_a-1", "x_a-1")).toBe(true);
  });

  it("tells apart names that differ, also where only a case bit would differ", () => {
    expect(isHeaderName("content-lengtx", "content-length")).toBe(false);
    expect(isHeaderName("content-type", "content-length")).toBe(false);
    expect(isHeaderName("Connection", "user-agent")).toBe(false);
    // "\r" is "-" minus 32 and "@" is "`" minus 32: neither is an upper-case letter.
    expect(isHeaderName("a\rb", "a-b")).toBe(false);
    expect(isHeaderName("a@b", "a`b")).toBe(false);
    expect(isHeaderName("content-length", "Content-Length")).toBe(false);
  });
});
