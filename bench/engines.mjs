// The first file on a fresh page in Chromium, Firefox ESR and WebKit: file
// chosen → figures (`data-ms`, timed by the page), with the file chosen as soon
// as the page shows and 2 s after load, a fresh page (and browser session) per run.
//
//   node bench/engines.mjs [--runs N] [--engines chromium,firefox,webkit] FILE...   (default: the three WAL months)
//
// Needs the release page in dist/ (trunk build --release) and the browsers that
// scripts/setup.sh installs. Run it on a quiet machine: a build beside it
// multiplies every figure.
import { join, resolve } from 'node:path';
import { ROOT, serve, launch } from '../e2e/support.mjs';
import { missing, start } from '../e2e/webdriver.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--runs');
const runs = at < 0 ? 3 : Number(args.splice(at, 2)[1]);
const only = args.indexOf('--engines');
const engines = only < 0 ? ['chromium', 'firefox', 'webkit'] : args.splice(only, 2)[1].split(',');
const REAL = process.env.DUCKS_REAL_CUR ?? join(ROOT, '..', 'shared', 'real-cur');
const files = args.length ? args.map((file) => resolve(file)) : ['10/Oct', '11/Nov', '12/Dec'].map((m) => {
  const [month, name] = m.split('/');
  return join(REAL, `cur-legacy-wal/WorkshopCUR/year=2018/month=${month}/${name}2018-WorkshopCUR-00001.snappy.parquet`);
});
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const DONE = "const s = document.querySelector('[data-testid=status]')?.dataset; return s && (s.state === 'done' || s.state === 'error') ? s.state + ' ' + s.ms : null;";

/** One run in Chromium (playwright-core), in a fresh browser: a page of the same
 * browser could reuse the engine another page compiled and optimised. */
async function chromium(url, wait) {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.getByTestId('status').waitFor();
    await sleep(wait);
    await page.locator('#file-input').setInputFiles(files);
    await page.waitForFunction(new Function(DONE), null, { timeout: 120_000, polling: 5 });
    return await page.evaluate(new Function(DONE));
  } finally {
    await browser.close();
  }
}

/** One run over WebDriver, in a fresh session. */
async function webdriver(engine, url, wait) {
  const session = await start(engine);
  try {
    await session.goto(url);
    await session.until('return document.querySelector("[data-testid=status]") !== null');
    await sleep(wait);
    await session.chooseFiles('#file-input', files);
    return await session.until(DONE, 120_000);
  } finally {
    await session.close();
  }
}

const server = await serve();
for (const engine of engines) {
  if (engine !== 'chromium' && missing(engine)) { console.log(`${engine}: skipped, ${missing(engine)}`); continue; }
  for (const [label, wait] of [['at once', 0], ['after 2 s', 2_000]]) {
    const times = [];
    for (let run = 0; run < runs; run++) {
      const result = engine === 'chromium' ? await chromium(server.url, wait) : await webdriver(engine, server.url, wait);
      const [state, ms] = result.split(' ');
      if (state !== 'done') throw new Error(`${engine}: ${result}`);
      times.push(Number(ms));
    }
    console.log(`${engine.padEnd(8)} ${label.padEnd(9)} median ${median(times).toFixed(0)} ms  [${times.map((t) => t.toFixed(0)).join(', ')}]`);
  }
}
await server.close();
