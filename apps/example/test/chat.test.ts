import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { describeExample, servers, useExample } from "./_example.ts";

/** Debian's chromium (`apt-get install -y chromium`): playwright-core drives it, no browser download. */
const CHROMIUM = "/usr/bin/chromium";

let browser: Browser;
beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run apt-get install -y chromium`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}, 60_000);
afterAll(() => browser?.close());

/** The lines of the chat's message list, once it holds `count` of them (polled: a page in the background gets no animation frames). */
async function lines(page: Page, count: number): Promise<string[]> {
  await page.waitForFunction((n) => document.querySelectorAll("#messages li").length >= n, count, {
    timeout: 15_000,
    polling: 50,
  });
  return page.$$eval("#messages li", (items) =>
    items.map((item) => `${item.className}: ${item.textContent}`),
  );
}

async function join(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(
    () => document.getElementById("status")?.textContent === "connected",
    undefined,
    {
      timeout: 15_000,
      polling: 50,
    },
  );
}

async function say(page: Page, text: string): Promise<void> {
  await page.fill("#text", text);
  await page.press("#text", "Enter");
}

/** The status of a refused upgrade, or "open". */
function upgradeStatus(url: string): Promise<number | "open"> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once("open", () => {
      socket.terminate();
      resolve("open");
    });
    socket.once("unexpected-response", (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once("error", reject);
  });
}

// The browser runs on one server of each family (node:http, uWS): the conformance suite proves
// the others behave the same, and a browser costs seconds per server on a small machine.
const inBrowser = servers.filter((adapter) => adapter.name === "node" || adapter.name === "uws");

for (const adapter of inBrowser) {
  describe(`chat page in Chromium (${adapter.name})`, () => {
    const example = useExample(adapter);
    afterEach(() => expect(example.errors).toEqual([]));

    it("shows two browser pages each other's messages, who joined and who left", async () => {
      const context = await browser.newContext();
      try {
        const alice = await context.newPage();
        await join(alice, example.url("/chat?name=alice"));
        expect(await alice.textContent("#me")).toBe("alice");
        const bob = await context.newPage();
        await join(bob, example.url("/chat?name=bob"));
        expect(await lines(alice, 1)).toEqual(["notice: bob joined"]);

        await say(alice, "hello bob");
        expect(await lines(bob, 1)).toEqual(["message: alice: hello bob"]);
        await say(bob, "<img src=x onerror=alert(1)> hi alice");
        const expected = ["message: alice: hello bob", "message: bob: <img src=x onerror=alert(1)> hi alice"];
        expect(await lines(bob, 2)).toEqual(expected);
        expect(await lines(alice, 3)).toEqual(["notice: bob joined", ...expected]);
        // Text stays text: the markup bob sent made no element.
        expect(await alice.locator("#messages img").count()).toBe(0);

        await bob.close();
        expect((await lines(alice, 4)).at(-1)).toBe("notice: bob left");
      } finally {
        await context.close();
      }
    });
  });
}

describeExample("chat over WebSockets", (example) => {
  afterEach(() => expect(example.errors).toEqual([]));

  it("refuses a socket without a valid name with 400, and answers an empty message with an error event", async () => {
    const socketUrl = (query: string) => example.url(`/chat/ws${query}`).replace(/^http/, "ws");
    expect(await upgradeStatus(socketUrl(""))).toBe(400);
    expect(await upgradeStatus(socketUrl("?name=%3Cscript%3E"))).toBe(400);
    expect(await upgradeStatus(example.url("/elsewhere?name=x").replace(/^http/, "ws"))).toBe(404);

    const socket = new WebSocket(socketUrl("?name=carol"));
    try {
      // Other pages of earlier tests may still be leaving: wait for the events asked for by type.
      const events: { type: string }[] = [];
      const waiters = new Map<string, () => void>();
      socket.on("message", (data) => {
        const event = JSON.parse(String(data));
        events.push(event);
        waiters.get(event.type)?.();
      });
      const next = (type: string) => new Promise<void>((resolve) => waiters.set(type, resolve));
      const welcomed = next("welcome");
      await new Promise((resolve) => socket.once("open", resolve));
      await welcomed;
      const refused = next("error");
      socket.send("   ");
      await refused;
      expect(events.filter((event) => event.type === "welcome" || event.type === "error")).toEqual([
        { type: "welcome", name: "carol" },
        { type: "error", error: "Send text of 1 to 500 characters." },
      ]);
    } finally {
      socket.terminate();
    }
  });
});
