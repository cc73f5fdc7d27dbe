/** The goals of the benchmark issue: a minimum ratio, to the contender's own raw server or to raw node:http. */
export interface Goal {
  min: number;
  versus: "own raw" | "node:http";
}

export const GOALS: Record<string, Partial<Record<"A" | "B" | "C", Goal>>> = {
  node: {
    A: { min: 0.38, versus: "node:http" },
    B: { min: 0.52, versus: "node:http" },
    C: { min: 0.9, versus: "node:http" },
  },
  "node + FastResponse": { A: { min: 0.9, versus: "node:http" }, B: { min: 0.95, versus: "node:http" } },
  "fastify + FastResponse": { A: { min: 0.9, versus: "own raw" }, B: { min: 0.9, versus: "own raw" } },
  "express + FastResponse": { A: { min: 0.9, versus: "own raw" }, B: { min: 0.9, versus: "own raw" } },
  "koa + FastResponse": { A: { min: 0.9, versus: "own raw" }, B: { min: 0.9, versus: "own raw" } },
  "uws + FastResponse": {
    A: { min: 2.0, versus: "node:http" },
    B: { min: 1.6, versus: "node:http" },
    C: { min: 1.2, versus: "node:http" },
  },
  "hyper-express + FastResponse": { A: { min: 0.9, versus: "own raw" }, B: { min: 0.9, versus: "own raw" } },
  // Its "own raw" is node + FastResponse without the log: `-l` must cost less than 10 %.
  "node + FastResponse + -l": {
    A: { min: 0.9, versus: "own raw" },
    B: { min: 0.9, versus: "own raw" },
    C: { min: 0.9, versus: "own raw" },
  },
};
