// The CSV benchmark: MB/s of uncompressed CSV, on the page (a fresh page per
// file, the file chosen through the real input, timed by the page from the
// change event to the figures) and in the CLI (release build, wall time).
//
//   node bench/csv.mjs [--runs N] FILE.csv|FILE.csv.gz...
//
// The page's total is checked against the CLI's. One file is one stream, read
// by one worker (several files are read in parallel); the figures are per worker.
import { createReadStream, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { serve, launch, openApp, settled, ROOT } from '../e2e/support.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--runs');
const runs = at < 0 ? 3 : Number(args.splice(at, 2)[1]);
const ducks = join(ROOT, 'target', 'release', 'ducks');

/** The bytes of CSV text in `path` (decompressed for .gz). */
async function textBytes(path) {
  if (!path.endsWith('.gz')) return statSync(path).size;
  let bytes = 0;
  for await (const chunk of createReadStream(path).pipe(createGunzip())) bytes += chunk.length;
  return bytes;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

const server = await serve();
const browser = await launch();
for (const file of args) {
  const mb = (await textBytes(file)) / 2 ** 20;
  const cli = [];
  let expected;
  for (let run = 0; run < runs; run++) {
    const started = process.hrtime.bigint();
    expected = JSON.parse(execFileSync(ducks, ['costs', '--json', file], { encoding: 'utf8', maxBuffer: 1 << 26 }));
    cli.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const page = [];
  for (let run = 0; run < runs; run++) {
    const tab = await openApp(browser, server.url);
    await tab.waitForTimeout(2_000);
    await tab.locator('input#file-input').setInputFiles([file]);
    if (await settled(tab, 600_000) !== 'done') throw new Error(await tab.getByTestId('status').innerText());
    page.push(Number(await tab.getByTestId('status').getAttribute('data-ms')));
    const total = Number(await tab.getByTestId('totals').getAttribute('data-undiscounted'));
    const want = expected.total.undiscounted;
    if (Math.abs(total - want) > 1e-9 * Math.max(1, Math.abs(want))) throw new Error(`page ${total} vs CLI ${want}`);
    await tab.context().close();
  }
  const rate = (ms) => (mb / (ms / 1000)).toFixed(0);
  console.log(`${file.split('/').pop()}: ${mb.toFixed(0)} MB of CSV, ${expected.rows} rows`);
  console.log(`  page (fresh page, first file): median ${median(page).toFixed(0)} ms = ${rate(median(page))} MB/s  [${page.map((ms) => ms.toFixed(0)).join(', ')} ms]`);
  console.log(`  CLI: median ${median(cli).toFixed(0)} ms = ${rate(median(cli))} MB/s  [${cli.map((ms) => ms.toFixed(0)).join(', ')} ms]`);
}
await browser.close();
await server.close();
