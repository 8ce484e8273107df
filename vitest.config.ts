import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    {
      // @actions/workflow-parser ships source maps without the sources they name, and Vite
      // would warn about each of its files on every run.
      name: 'quiet-workflow-parser-source-maps',
      configResolved({ logger }) {
        const warnOnce = logger.warnOnce.bind(logger);
        logger.warnOnce = (message, options) => {
          if (!/workflow-parser.*points to missing source files/.test(message)) {
            warnOnce(message, options);
          }
        };
      },
    },
  ],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    server: {
      deps: {
        // It imports its schemas as JSON without an import attribute, which Node refuses;
        // transformed by Vite instead, it loads.
        inline: ['@actions/workflow-parser'],
      },
    },
  },
});
