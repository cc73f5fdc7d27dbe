import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: "core",
          exclude: [...configDefaults.exclude, "test/supervisor/**"],
          sequence: { groupOrder: 0 },
        },
      },
      // The supervisor scenarios time worker replacements under load: one file at a time, after the rest.
      {
        extends: true,
        test: {
          name: "supervisor",
          include: ["test/supervisor/**/*.test.ts"],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
