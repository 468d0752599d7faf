// Shared pieces of the end-to-end tests: a static server for dist/, Debian's
// Chromium driven by playwright-core, and a page object for the costs page.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const DIST = process.env.DUCKS_DIST ? resolve(process.env.DUCKS_DIST) : join(ROOT, 'dist');
export const DEMO = join(ROOT, 'public', 'demo');
export const DUCKS = process.env.DUCKS_BIN ?? join(ROOT, 'target', 'debug', 'ducks');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json',
  '.parquet': 'application/vnd.apache.parquet', '.svg': 'image/svg+xml', '.png': 'image/png',
};

/**
 * Serves `dir` on 127.0.0.1 (a free port) under `prefix` (GitHub Pages serves a
 * project at `/<repo>/`); resolves to { url, close }, `url` ending in the prefix.
 */
export async function serve(dir = DIST, prefix = '/') {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    if (!path.startsWith(prefix)) { response.writeHead(404).end('not found'); return; }
    let file = normalize(join(dir, path.slice(prefix.length)));
    if (!file.startsWith(dir)) { response.writeHead(403).end(); return; }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${prefix}`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Debian's Chromium, headless, with its background traffic turned off. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Opens the app and waits until it is mounted and its workers are ready.
 * Records console errors, page errors and every request in `page.seen`.
 */
/** The brief's example discount table, which a new workspace does not have. */
export const EXAMPLE_DISCOUNTS = { AmazonS3: 0.88, AmazonEC2: 0.5, AWSDataTransfer: 0.7, AWSGlue: 0.95, AmazonGuardDuty: 0.25 };

/**
 * A page of the app in a context of its own. Its first workspace has the
 * example discount table (as the command line does by default), so figures
 * compare with `cliReport`; `fresh: true` opens it as a new visitor finds it,
 * with no discounts. Other options go to the browser context.
 */
export async function openApp(browser, url, { fresh = false, ...options } = {}) {
  const context = await browser.newContext(options);
  if (!fresh) {
    // Where the first version kept its table: read once into the first workspace.
    await context.addInitScript((table) => {
      if (!localStorage.getItem('ducks.workspaces.v1') && !localStorage.getItem('ducks.discounts.v1')) {
        localStorage.setItem('ducks.discounts.v1', table);
      }
    }, JSON.stringify(EXAMPLE_DISCOUNTS));
  }
  const page = await context.newPage();
  page.seen = { errors: [], requests: [] };
  page.on('pageerror', (error) => page.seen.errors.push(String(error)));
  page.on('console', (message) => { if (message.type() === 'error') page.seen.errors.push(message.text()); });
  context.on('request', (request) => page.seen.requests.push(request.url()));
  await page.goto(url);
  await page.getByTestId('status').waitFor();
  return page;
}

/** Chooses files through the real file input and waits for the outcome. */
export async function upload(page, files) {
  await page.locator('input#file-input[type=file][multiple]').setInputFiles(files);
  return settled(page);
}

/** Waits until the status leaves `loading` and returns its data-state. */
export async function settled(page, timeout = 60_000) {
  const status = page.getByTestId('status');
  await page.waitForFunction(() => {
    const state = document.querySelector('[data-testid=status]')?.dataset.state;
    return state === 'done' || state === 'error';
  }, null, { timeout });
  return status.getAttribute('data-state');
}

/** The all-services table as [{ service, undiscounted, discounted, rate }] with full-precision numbers. */
export function tableRows(page) {
  return page.$$eval('[data-testid=costs-table] tbody tr', (rows) => rows.map((row) => ({
    service: row.dataset.service,
    undiscounted: Number(row.dataset.undiscounted),
    discounted: Number(row.dataset.discounted),
    rate: Number(row.dataset.rate),
  })));
}

/** The totals block's full-precision numbers. */
export async function totals(page) {
  const block = page.getByTestId('totals');
  return {
    undiscounted: Number(await block.getAttribute('data-undiscounted')),
    discounted: Number(await block.getAttribute('data-discounted')),
    blendedRate: Number(await block.getAttribute('data-blended-rate')),
  };
}

/** What the command line says of the same files. */
export function cliReport(paths) {
  return JSON.parse(execFileSync(DUCKS, ['costs', '--json', ...paths], { encoding: 'utf8' }));
}

/** Equal to the cent and, far tighter, to 1e-9 relative. */
export function close(a, b) {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

/**
 * Writes a small legacy-CUR Parquet file of [type, service, cost] rows with
 * hyparquet-writer (a writer other than the one behind the demo data).
 */
export async function writeCur(path, rows) {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const { writeFile } = await import('node:fs/promises');
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'identity_line_item_id', data: rows.map((_, i) => `li-${i}`), type: 'STRING' },
      { name: 'line_item_line_item_type', data: rows.map((r) => r[0]), type: 'STRING' },
      { name: 'product_servicecode', data: rows.map((r) => r[1]), type: 'STRING' },
      { name: 'line_item_unblended_cost', data: rows.map((r) => r[2]), type: 'DOUBLE' },
      // A fourth value per row is its currency.
      ...(rows.some((r) => r[3]) ? [{ name: 'line_item_currency_code', data: rows.map((r) => r[3] ?? 'USD'), type: 'STRING' }] : []),
    ],
  });
  await writeFile(path, new Uint8Array(buffer));
  return path;
}

/** A fresh temporary directory. */
export async function scratch() {
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  return mkdtemp(join(tmpdir(), 'ducks-e2e-'));
}
