// Serves the <eas-payload-editor> demo portal on localhost: npm run demo [-- --port 8080]
// With --screenshot <file.png> [--dark] [--full-page] it instead renders the page in Debian's headless chromium,
// saves a screenshot and exits (no browser is ever downloaded).
import { createReadStream, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// Only these two folders are served; everything else is 404.
const MOUNTS = [
  { prefix: '/dist/components/', dir: join(root, 'dist', 'components') },
  { prefix: '/', dir: join(root, 'components', 'demo') },
];
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.json': 'application/json', '.map': 'application/json', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml' };

function locate(urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return undefined;
  }
  if (path.includes('\0')) return undefined;
  for (const m of MOUNTS) {
    if (!path.startsWith(m.prefix)) continue;
    const rel = path.slice(m.prefix.length) || 'index.html';
    const file = normalize(join(m.dir, rel));
    if (!file.startsWith(m.dir + sep)) return undefined;
    try {
      if (statSync(file).isFile()) return file;
    } catch {
      // fall through to the next mount
    }
  }
  return undefined;
}

export function startServer(port = 0) {
  const server = createServer((req, res) => {
    const file = req.method === 'GET' || req.method === 'HEAD' ? locate(req.url ?? '/') : undefined;
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      // The demo proves the bundle needs nothing from the network: no other origin is allowed.
      'content-security-policy': "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'",
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok(server)));
}

async function screenshot(url, out, dark, fullPage) {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const offsite = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(url)) offsite.push(r.url());
    });
    await page.setViewport({ width: 1440, height: 1200, deviceScaleFactor: 1 });
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: dark ? 'dark' : 'light' }]);
    await page.goto(url, { waitUntil: 'networkidle0' });
    await page.evaluate(() => customElements.whenDefined('eas-payload-editor'));
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({ path: out, fullPage });
    if (offsite.length) throw new Error(`the demo requested other origins: ${offsite.join(', ')}`);
  } finally {
    await browser.close();
  }
}

const { values } = parseArgs({
  options: { port: { type: 'string' }, screenshot: { type: 'string' }, dark: { type: 'boolean' }, 'full-page': { type: 'boolean' } },
});

// Importing the build script builds the bundle and the manifest.
await import('./build-components.mjs');
if (values.screenshot) {
  const server = await startServer(0);
  const { port } = server.address();
  try {
    await screenshot(`http://127.0.0.1:${port}/`, resolve(values.screenshot), values.dark ?? false, values['full-page'] ?? false);
    console.log(`screenshot saved to ${values.screenshot}`);
  } finally {
    server.close();
  }
} else {
  const server = await startServer(Number(values.port ?? process.env.PORT ?? 8080));
  console.log(`eas-payload-editor demo on http://127.0.0.1:${server.address().port}/ (Ctrl+C to stop)`);
}
