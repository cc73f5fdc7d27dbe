import { defineConfig, type Options } from "tsup";

/** The one build preset every package re-exports: ESM, .d.ts, Node 20. */
export function preset(options: Options = {}): ReturnType<typeof defineConfig> {
  return defineConfig({
    entry: ["src/index.ts"],
    format: ["esm"],
    target: "node20",
    platform: "node",
    dts: true,
    clean: true,
    sourcemap: true,
    splitting: false,
    ...options,
  });
}
