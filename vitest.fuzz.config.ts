import { defineConfig } from 'vitest/config';

/** The fuzz suite (test/fuzz/*.fuzz.ts): `npm run test:fuzz`; FUZZ_RUNS=10 runs ten times as many inputs, FUZZ_SEED=N replays. */
export default defineConfig({
  test: {
    include: ['test/fuzz/**/*.fuzz.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
