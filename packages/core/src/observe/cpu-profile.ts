/** A V8 CPU profile (`.cpuprofile`), as Chrome DevTools and speedscope open it. */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
  positionTicks?: { line: number; ticks: number }[];
}

export interface CallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface MergedNode {
  id: number;
  callFrame: CallFrame;
  hitCount: number;
  children: number[];
  ticks: Map<number, number>;
}

/**
 * Profiles taken one after another (V8 hands a profile only when it stops), merged into one:
 * the same call path is the same node, samples follow each other in time.
 */
export class ProfileAccumulator {
  #nodes = new Map<number, MergedNode>();
  #byPath = new Map<string, number>();
  #samples: number[] = [];
  #timeDeltas: number[] = [];
  #startTime = 0;
  #endTime = 0;
  #lastSampleTime = 0;

  get sampleCount(): number {
    return this.#samples.length;
  }

  add(profile: CpuProfile): void {
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const merged = new Map<number, number>();
    const stack: [ProfileNode, number][] = [[profile.nodes[0], 0]];
    while (stack.length > 0) {
      const [node, parent] = stack.pop()!;
      const id = this.#nodeFor(node.callFrame, parent);
      merged.set(node.id, id);
      const target = this.#nodes.get(id)!;
      target.hitCount += node.hitCount ?? 0;
      for (const { line, ticks } of node.positionTicks ?? [])
        target.ticks.set(line, (target.ticks.get(line) ?? 0) + ticks);
      for (const child of node.children ?? []) stack.push([byId.get(child)!, id]);
    }
    if (profile.samples.length === 0) return;
    let time = profile.startTime;
    if (this.#samples.length === 0) this.#startTime = profile.startTime;
    for (let i = 0; i < profile.samples.length; i++) {
      time += profile.timeDeltas[i];
      this.#samples.push(merged.get(profile.samples[i])!);
      this.#timeDeltas.push(time - (this.#samples.length === 1 ? this.#startTime : this.#lastSampleTime));
      this.#lastSampleTime = time;
    }
    this.#endTime = profile.endTime;
  }

  toProfile(): CpuProfile {
    const nodes: ProfileNode[] = [...this.#nodes.values()].map((node) => ({
      id: node.id,
      callFrame: node.callFrame,
      hitCount: node.hitCount,
      children: node.children,
      ...(node.ticks.size > 0
        ? { positionTicks: [...node.ticks].map(([line, ticks]) => ({ line, ticks })) }
        : {}),
    }));
    if (nodes.length === 0) nodes.push({ id: 1, callFrame: ROOT_FRAME, hitCount: 0, children: [] });
    return {
      nodes,
      startTime: this.#startTime,
      endTime: Math.max(this.#endTime, this.#startTime),
      samples: [...this.#samples],
      timeDeltas: [...this.#timeDeltas],
    };
  }

  #nodeFor(callFrame: CallFrame, parent: number): number {
    const key = `${parent}\u0000${frameKey(callFrame)}`;
    let id = this.#byPath.get(key);
    if (id === undefined) {
      id = this.#nodes.size + 1;
      this.#byPath.set(key, id);
      this.#nodes.set(id, { id, callFrame, hitCount: 0, children: [], ticks: new Map() });
      this.#nodes.get(parent)?.children.push(id);
    }
    return id;
  }
}

const ROOT_FRAME: CallFrame = {
  functionName: "(root)",
  scriptId: "0",
  url: "",
  lineNumber: -1,
  columnNumber: -1,
};

/** One function: where it is, and its name. */
export function frameKey(frame: CallFrame): string {
  return `${frame.functionName}\u0000${frame.url}\u0000${frame.lineNumber}\u0000${frame.columnNumber}`;
}
