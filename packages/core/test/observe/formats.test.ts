import { describe, expect, it } from "vitest";
import { withOptionalValues } from "../../src/cli/optional-values.ts";
import { clientAddresses, clientFilter } from "../../src/observe/allow.ts";
import { escapeField } from "../../src/observe/escape.ts";
import { combinedLine, commonLine, jsonFields } from "../../src/observe/formats.ts";
import type { RequestRecord } from "../../src/observe/record.ts";

const record = (fields: Partial<RequestRecord> = {}): RequestRecord => ({
  time: Date.UTC(2025, 0, 31, 23, 59, 58),
  remote: "127.0.0.1",
  method: "GET",
  target: "/a?b=1",
  protocol: "HTTP/1.1",
  status: 200,
  bytes: 5,
  durationMs: 12.3456,
  referer: null,
  userAgent: "curl/8",
  aborted: false,
  ...fields,
});

describe("access log formats", () => {
  it("escapes quotes, backslashes, newlines, control and non-ASCII bytes like Apache and nginx", () => {
    expect(escapeField("plain text/1.0 (x; y)")).toBe("plain text/1.0 (x; y)");
    expect(escapeField('a "b" \\ c')).toBe(String.raw`a \"b\" \\ c`);
    expect(escapeField("line1\nline2\r\t\x00\x7f")).toBe(String.raw`line1\x0aline2\x0d\x09\x00\x7f`);
    expect(escapeField("caf\xc3\xa9")).toBe(String.raw`caf\xc3\xa9`);
    expect(escapeField("café ✓")).toBe(String.raw`caf\xe9 \xe2\x9c\x93`);
  });

  it("writes one combined line whatever the headers hold", () => {
    const line = combinedLine(record({ userAgent: 'x"\ny', referer: "http://r/" }));
    expect(line).not.toContain("\n");
    expect(line).toMatch(
      new RegExp(
        String.raw`^127\.0\.0\.1 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] "GET /a\?b=1 HTTP/1\.1" 200 5 "http://r/" "x\\"\\x0ay" rt=0\.012 pid=${process.pid}$`,
      ),
    );
  });

  it("writes rt= as seconds with three decimals, rounded to the millisecond", () => {
    const rt = (durationMs: number) => / rt=(\S+) /.exec(combinedLine(record({ durationMs })))?.[1];
    expect(rt(0)).toBe("0.000");
    expect(rt(0.4)).toBe("0.000");
    expect(rt(7.5)).toBe("0.008");
    expect(rt(99.6)).toBe("0.100");
    expect(rt(999.5)).toBe("1.000");
    expect(rt(61_234.4)).toBe("61.234");
  });

  it("writes only ASCII, whatever the request held (the sink counts a line's bytes as its length)", () => {
    const line = combinedLine(
      record({
        target: "/caf\u00e9?q=\u20ac",
        referer: "http://\u00fc.example/",
        userAgent: "bot \u{1f600}\u0000",
      }),
    );
    expect(line).toMatch(/^[\x20-\x7e]+$/);
    expect(Buffer.byteLength(line)).toBe(line.length);
    expect(line).toContain(
      String.raw`"GET /caf\xe9?q=\xe2\x82\xac HTTP/1.1" 200 5 "http://\xfc.example/" "bot \xf0\x9f\x98\x80\x00"`,
    );
  });

  it("escapes each part of the request line", () => {
    const line = commonLine(record({ method: 'G"T', target: "/\x01", protocol: "HTTP/1.1" }));
    expect(line).toContain(String.raw`"G\"T /\x01 HTTP/1.1"`);
  });

  it("writes - for an unknown client, no body and missing headers", () => {
    const line = commonLine(record({ remote: undefined, bytes: 0 }));
    expect(line).toMatch(/^- - - \[[^\]]+\] "GET \/a\?b=1 HTTP\/1\.1" 200 -$/);
    expect(combinedLine(record({ userAgent: null }))).toContain(' 200 5 "-" "-" rt=');
  });

  it("writes - for a request line the parser refused before it was whole, null in JSON", () => {
    const refused = record({ method: "", target: "", protocol: "", status: 400, bytes: 0 });
    expect(commonLine(refused)).toMatch(/^127\.0\.0\.1 - - \[[^\]]+\] "-" 400 -$/);
    expect(jsonFields(refused)).toMatchObject({ method: null, url: null, protocol: null, status: 400 });
  });

  it("keeps the JSON fields' values as they were (the logger escapes them)", () => {
    expect(jsonFields(record({ userAgent: 'q"\n' }))).toEqual({
      type: "access",
      remote: "127.0.0.1",
      method: "GET",
      url: "/a?b=1",
      protocol: "HTTP/1.1",
      status: 200,
      bytes: 5,
      durationMs: 12.346,
      referer: null,
      userAgent: 'q"\n',
      aborted: false,
    });
  });
});

describe("endpoint allow lists", () => {
  it("always allows loopback, and the listed addresses and ranges", () => {
    const filter = clientFilter(["10.0.0.0/8", "2001:db8::/32"], "--metrics-allow");
    for (const address of [
      "127.0.0.1",
      "127.8.9.10",
      "::1",
      "::ffff:127.0.0.1",
      "10.1.2.3",
      "::ffff:10.1.2.3",
      "2001:db8::5",
    ]) {
      expect(filter.allows(address)).toBe(true);
    }
    for (const address of [undefined, "192.0.2.2", "::ffff:192.0.2.2", "fd00::2", "localhost", ""]) {
      expect(filter.allows(address)).toBe(false);
    }
    expect(clientFilter("any", "x").allows("203.0.113.9")).toBe(true);
  });

  it("checks the socket address without trust-proxy, whatever X-Forwarded-For says", () => {
    expect(clientAddresses("192.0.2.2", "127.0.0.1", false)).toEqual(["192.0.2.2"]);
    expect(clientAddresses("127.0.0.1", "127.0.0.1, 203.0.113.9", true)).toEqual([
      "127.0.0.1",
      "203.0.113.9",
    ]);
    expect(clientAddresses("127.0.0.1", null, true)).toEqual(["127.0.0.1"]);
  });
});

describe("optional flag values", () => {
  it("gives -l and --metrics their value only when the next word is theirs", () => {
    expect(withOptionalValues(["-l", "access.log", "app.ts"])).toEqual(["--log=access.log", "app.ts"]);
    expect(withOptionalValues(["-l", "app.ts"])).toEqual(["--log=-", "app.ts"]);
    expect(withOptionalValues(["app.ts", "-l"])).toEqual(["app.ts", "--log=-"]);
    expect(withOptionalValues(["-l", "-p", "0"])).toEqual(["--log=-", "-p", "0"]);
    expect(withOptionalValues(["--metrics", "/stats", "-l", "-"])).toEqual(["--metrics=/stats", "--log=-"]);
    expect(withOptionalValues(["--metrics", "app.ts"])).toEqual(["--metrics=/metrics", "app.ts"]);
    expect(withOptionalValues(["--metrics", "/srv/app.mjs"])).toEqual(["--metrics=/metrics", "/srv/app.mjs"]);
    expect(withOptionalValues(["--", "-l"])).toEqual(["--", "-l"]);
  });
});
