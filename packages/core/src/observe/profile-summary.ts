import { type CallFrame, type CpuProfile, frameKey, type ProfileNode } from "./cpu-profile.ts";

/** A function's share of the recorded busy time. */
export interface FunctionTime {
  name: string;
  /** `path:line:column`, or empty for V8's own entries such as `(garbage collector)`. */
  location: string;
  /** Time with this function on top of the stack. */
  selfMs: number;
  /** Time with this function anywhere on the stack (counted once under recursion). */
  totalMs: number;
  selfShare: number;
  totalShare: number;
}

export interface ProfileSummary {
  /** Wall time covered by the profile. */
  recordedMs: number;
  /** Of which the process was not idle. */
  busyMs: number;
  samples: number;
  /** The busiest functions, by self time. */
  functions: FunctionTime[];
}

// V8's pseudo-frames that are not the app's time: the tree root and waiting for events.
const NOT_BUSY = new Set(["(root)", "(idle)"]);

/** Self and total time per function, each sample weighted by the profile's mean interval. */
export function summarize(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const samples = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const recordedMs = Math.max(0, profile.endTime - profile.startTime) / 1000;
  const msPerSample = samples > 0 ? recordedMs / samples : 0;
  const subtree = subtreeHits(profile.nodes[0], byId);
  const stats = new Map<string, { frame: CallFrame; self: number; total: number }>();
  const onStack = new Map<string, number>();
  // Depth-first with explicit enter/leave, so a function's subtree counts once even when it recurses.
  const stack: [ProfileNode, boolean][] = [[profile.nodes[0], false]];
  while (stack.length > 0) {
    const [node, leaving] = stack.pop()!;
    const key = frameKey(node.callFrame);
    if (leaving) {
      onStack.set(key, onStack.get(key)! - 1);
      continue;
    }
    let stat = stats.get(key);
    if (!stat) {
      stat = { frame: node.callFrame, self: 0, total: 0 };
      stats.set(key, stat);
    }
    stat.self += node.hitCount ?? 0;
    if (!onStack.get(key)) stat.total += subtree.get(node.id) ?? 0;
    onStack.set(key, (onStack.get(key) ?? 0) + 1);
    stack.push([node, true]);
    for (const child of node.children ?? []) stack.push([byId.get(child)!, false]);
  }
  const busy = [...stats.values()].filter((stat) => !NOT_BUSY.has(stat.frame.functionName));
  const busySamples = busy.reduce((sum, stat) => sum + stat.self, 0);
  const share = (count: number) => (busySamples > 0 ? count / busySamples : 0);
  const functions = busy
    .filter((stat) => stat.total > 0)
    .sort((a, b) => b.self - a.self || b.total - a.total)
    .map(({ frame, self, total }) => ({
      name: frame.functionName || "(anonymous)",
      location: frame.url
        ? `${readableUrl(frame.url)}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`
        : "",
      selfMs: self * msPerSample,
      totalMs: total * msPerSample,
      selfShare: share(self),
      totalShare: Math.min(1, share(total)),
    }));
  return { recordedMs, busyMs: busySamples * msPerSample, samples, functions };
}

/**
 * A script's URL as a person reads it: file URLs as paths, and the `data:` URLs a loader such as
 * tsx compiles TypeScript into as the file they came from.
 */
function readableUrl(url: string): string {
  if (url.startsWith("file://")) return decodeURI(url.slice("file://".length));
  if (!url.startsWith("data:")) return url;
  const file = /__filename(?:%3D|=)(?:%22|")(.*?)(?:%22|")/.exec(url)?.[1];
  return file ? `${decodeURIComponent(file)} (compiled)` : "(inline data: module)";
}

/** Samples in each node's subtree (itself and everything it called). */
function subtreeHits(root: ProfileNode, byId: Map<number, ProfileNode>): Map<number, number> {
  const order: ProfileNode[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    order.push(node);
    for (const child of node.children ?? []) stack.push(byId.get(child)!);
  }
  const hits = new Map<number, number>();
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    let sum = node.hitCount ?? 0;
    for (const child of node.children ?? []) sum += hits.get(child) ?? 0;
    hits.set(node.id, sum);
  }
  return hits;
}
