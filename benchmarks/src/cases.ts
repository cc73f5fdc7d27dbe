/** What each benchmark case asks of the server. */
export interface BenchCase {
  id: "A" | "B" | "C";
  title: string;
  path: string;
  /** What a request that is not a plain GET sends. */
  request?: { method: string; body: string; headers: Record<string, string> };
}

/** A 1 KiB JSON document for case B. */
export const ECHO_BODY = JSON.stringify({
  items: Array.from({ length: 12 }, (_, i) => ({
    id: i,
    name: `item-${i}`,
    tags: ["a", "b"],
    price: i * 1.25,
  })),
}).padEnd(1024, " ");

export const CASES: BenchCase[] = [
  { id: "A", title: "GET / → 200 Hello, World!", path: "/" },
  {
    id: "B",
    title: "POST /echo, 1 KiB JSON → parsed and returned",
    path: "/echo",
    request: { method: "POST", body: ECHO_BODY, headers: { "content-type": "application/json" } },
  },
  { id: "C", title: "GET /stream → 1 MiB in 64 KiB chunks", path: "/stream" },
];
