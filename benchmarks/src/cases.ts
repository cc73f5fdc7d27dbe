/** What each benchmark case asks of the server. */
export interface BenchCase {
  id: "A" | "B" | "C";
  title: string;
  path: string;
  /** A wrk Lua script for requests that are not plain GETs. */
  wrkScript?: string;
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

const luaString = JSON.stringify(ECHO_BODY);

export const CASES: BenchCase[] = [
  { id: "A", title: "GET / → 200 Hello, World!", path: "/" },
  {
    id: "B",
    title: "POST /echo, 1 KiB JSON → parsed and returned",
    path: "/echo",
    wrkScript: `wrk.method = "POST"\nwrk.body = ${luaString}\nwrk.headers["Content-Type"] = "application/json"\n`,
  },
  { id: "C", title: "GET /stream → 1 MiB in 64 KiB chunks", path: "/stream" },
];
