// Browser tests of components/ in Debian's chromium (apt-get install chromium); no tool may
// download a browser of its own. Run: npm run test:components
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { a11ySnapshotPlugin } from '@web/test-runner-commands/plugins';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** `tap` for the tests: a touch tap at page coordinates, through Chrome's touch emulation (puppeteer's touchscreen). */
const tapPlugin = {
  name: 'tap',
  async executeCommand({ command, payload, session }) {
    if (command !== 'tap') return undefined;
    const page = session.browser.getPage(session.id);
    const cdp = await page.target().createCDPSession();
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
    try {
      await page.touchscreen.tap(payload.x, payload.y);
    } finally {
      await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: false });
      await cdp.detach();
    }
    return true;
  },
};

export default {
  files: 'test/components/**/*.test.ts',
  nodeResolve: true,
  // a11ySnapshot: what assistive technology gets, for hidden diagnostics; tap: touch input.
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), a11ySnapshotPlugin(), tapPlugin],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
      },
    }),
  ],
  // The machine is shared: one page at a time keeps the run light and timings stable.
  concurrency: 1,
  browserStartTimeout: 60_000,
  testsFinishTimeout: 120_000,
  testFramework: { config: { timeout: 10_000 } },
};
