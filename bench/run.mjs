// The browser benchmark: ducks against DuckDB-WASM (file buffer and file handle)
// and hyparquet, in Debian's Chromium, on the same generated CUR files, in one run.
//
//   node bench/run.mjs [--runs N] [--only NAME,...] [--tools ducks,duckdb-buffer,...] DATA_DIR
//
// DATA_DIR holds one folder per case (see bench/run.sh, which makes them). Each
// tool gets a fresh browser per case; every run chooses the file through a real
// file input and is timed by the page itself from the change event to the
// figures (ducks: painted on the page). The sums of every tool are checked
// against ducks'. Peak memory is the renderer process's peak resident set
// (VmHWM, which includes workers and wasm), and for ducks also the largest
// worker's wasm memory. Results go to stdout and to bench/results.json.
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { serve, launch, DIST } from '../e2e/support.mjs';
import { rendererPeak } from './memory.mjs';

const HERE = resolve(fileURLToPath(new URL('.', import.meta.url)));
const ALL_TOOLS = ['ducks', 'duckdb-buffer', 'duckdb-handle', 'hyparquet'];
const RUN_TIMEOUT = 180_000;
// Every tool gets this long after its page has loaded before the first file is
// chosen (ducks' workers start and warm up; DuckDB's worker instantiates), as a
// person takes a moment to pick a file.
const SETTLE = 2_000;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at < 0 ? fallback : args.splice(at, 2)[1];
};
const runs = Number(option('--runs', '5'));
const only = option('--only', '');
const tools = option('--tools', ALL_TOOLS.join(',')).split(',');
const dataDir = resolve(args[0] ?? join(HERE, 'data'));

const cases = readdirSync(dataDir)
  .filter((name) => !only || only.split(',').includes(name))
  .map((name) => {
    const files = readdirSync(join(dataDir, name)).filter((f) => f.endsWith('.parquet')).map((f) => join(dataDir, name, f));
    const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
    return { name, files, bytes };
  })
  .filter((c) => c.files.length === 1);

async function waitFor(page, predicate, timeout = RUN_TIMEOUT) {
  await page.waitForFunction(predicate, null, { timeout, polling: 5 });
}

/** Runs ducks `runs` times on one case; returns timings, sums and memory. */
async function benchDucks(page, testCase) {
  await page.addInitScript(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.longTasks.push(e.duration); })
      .observe({ type: 'longtask' });
  });
  const opened = Date.now();
  await page.goto(ducksUrl);
  await page.getByTestId('status').waitFor();
  const ready = Date.now() - opened;
  await page.waitForTimeout(SETTLE);
  const times = [];
  let sums, wasmMemory = 0, longest = 0;
  for (let run = 0; run < runs; run++) {
    await page.evaluate(() => { window.longTasks = []; });
    await page.locator('input#file-input').setInputFiles(testCase.files);
    await waitFor(page, () => ['done', 'error'].includes(document.querySelector('[data-testid=status]').dataset.state));
    const status = page.getByTestId('status');
    if (await status.getAttribute('data-state') === 'error') throw new Error(await status.innerText());
    times.push(Number(await status.getAttribute('data-ms')));
    longest = Math.max(longest, ...await page.evaluate(() => window.longTasks), 0);
    sums = await page.$$eval('[data-testid=costs-table] tr[data-service]', (rows) =>
      Object.fromEntries(rows.map((r) => [r.dataset.service, Number(r.dataset.undiscounted)])));
    // The explorer's second scan follows the figures; the next run waits for it, so runs do not overlap.
    await waitFor(page, () => ['ready', 'failed'].includes(document.querySelector('[data-testid=status]').dataset.explorer));
    wasmMemory = Math.max(wasmMemory, Number(await status.getAttribute('data-worker-memory')));
  }
  return { times, sums, wasmMemory, ready, longest };
}

async function benchPeer(page, tool, testCase) {
  await page.goto(peersUrl);
  await waitFor(page, () => document.getElementById('status').dataset.state === 'idle', 60_000);
  await page.waitForTimeout(SETTLE);
  await page.selectOption('#tool', tool);
  const times = [];
  let sums;
  for (let run = 0; run < runs; run++) {
    await page.evaluate(() => { window.benchResult = undefined; });
    await page.locator('#file').setInputFiles(testCase.files);
    await waitFor(page, () => window.benchResult !== undefined);
    const result = await page.evaluate(() => window.benchResult);
    if (result.error) throw new Error(result.error);
    times.push(result.ms);
    sums = result.sums;
  }
  return { times, sums };
}

/** Largest relative difference between two sets of per-service sums (Infinity when the services differ). */
function disagreement(a, b) {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  let worst = 0;
  for (const key of keys) {
    if (!(key in a) || !(key in b)) return Infinity;
    worst = Math.max(worst, Math.abs(a[key] - b[key]) / Math.max(Math.abs(a[key]), 1e-9));
  }
  return worst;
}

const median = (xs) => { const s = [...xs].sort((p, q) => p - q); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const mb = (bytes) => (bytes ? `${(bytes / 2 ** 20).toFixed(0)} MB` : '–');
const ms = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);

const app = await serve(DIST);
const peers = await serve(HERE);
const ducksUrl = app.url;
const peersUrl = `${peers.url}page/`;
const results = [];
console.log(`# ${runs} runs per tool; ${cpus().length} cores (${cpus()[0].model}); Chromium headless`);
for (const testCase of cases) {
  console.log(`\n## ${testCase.name}: ${mb(testCase.bytes)}`);
  let reference;
  for (const tool of tools) {
    const browser = await launch();
    const page = await browser.newPage();
    const row = { case: testCase.name, bytes: testCase.bytes, tool };
    try {
      const outcome = tool === 'ducks' ? await benchDucks(page, testCase) : await benchPeer(page, tool, testCase);
      Object.assign(row, outcome);
      if (tool === 'ducks') reference = outcome.sums;
      row.disagreement = reference ? disagreement(reference, outcome.sums) : null;
    } catch (error) {
      row.error = String(error.message ?? error).split('\n')[0];
    }
    row.rendererPeak = rendererPeak(process.pid);
    await browser.close();
    delete row.sums;
    results.push(row);
    const line = row.error
      ? `${tool.padEnd(14)} failed: ${row.error}`
      : `${tool.padEnd(14)} median ${ms(median(row.times)).padStart(8)}  min ${ms(Math.min(...row.times)).padStart(8)}  max ${ms(Math.max(...row.times)).padStart(8)}  first ${ms(row.times[0]).padStart(8)}` +
        `  renderer peak ${mb(row.rendererPeak).padStart(7)}` +
        (row.wasmMemory ? `  wasm ${mb(row.wasmMemory)}` : '') +
        (row.longest !== undefined ? `  longest main-thread task ${row.longest.toFixed(0)} ms  page ready ${row.ready} ms` : '') +
        (row.disagreement !== null && tool !== 'ducks' ? `  sums agree to ${row.disagreement.toExponential(1)}` : '');
    console.log(line);
  }
  const ducks = results.find((r) => r.case === testCase.name && r.tool === 'ducks' && !r.error);
  const best = results
    .filter((r) => r.case === testCase.name && r.tool !== 'ducks' && !r.error)
    .sort((p, q) => median(p.times) - median(q.times))[0];
  if (ducks && best) {
    console.log(`ducks is ${(median(best.times) / median(ducks.times)).toFixed(1)}× faster than the best peer (${best.tool})`);
  }
}
writeFileSync(join(HERE, 'results.json'), JSON.stringify(results, null, 2));
await app.close();
await peers.close();
