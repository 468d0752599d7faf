// The explorer's benchmark (issue 12): on one file, in Debian's Chromium, the
// time from the file being chosen to the explorer's first answer, then to each
// new grouping on screen (one from the cube in memory, and ones read on
// demand: days, a tag and the resources), and the largest worker's wasm memory.
//
//   node bench/explorer.mjs [--runs N] [--tag KEY] [--no-resources] FILE...
//   (several files are chosen together: a year of months)
//   (DIAG=1 also prints each run's diagnostics text)
//   (DUCKS_DIST=DIR serves another build than dist/)
//
// Each run is a fresh page; the file is chosen 2 s after load through the real
// file input. Times are wall clock from the driver (setInputFiles, then
// polling every 5 ms for the figure to be on the page), so they include a few
// ms of driving.
import { serve, launch } from '../e2e/support.mjs';
import { rendererPeak } from './memory.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at < 0 ? fallback : args.splice(at, 2)[1];
};
const runs = Number(option('--runs', '3'));
const tag = option('--tag', 'team');
const withResources = !args.includes('--no-resources');
if (!withResources) args.splice(args.indexOf('--no-resources'), 1);
const files = args;
const file = files.length > 1 ? `${files.length} files (${files[0]} ...)` : files[0];
if (!files.length) throw new Error('usage: node bench/explorer.mjs [--runs N] [--tag KEY] [--no-resources] FILE...');

const server = await serve(process.env.DUCKS_DIST);
const browser = await launch();
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const timeout = 300_000;
const results = { costs: [], explorer: [], account: [], day: [], tag: [], resource: [], tagAgain: [], commitments: [], paid: [], check: [], memory: [], memoryExplorer: [], renderer: [] };
for (let run = 0; run < runs; run++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByTestId('status').waitFor();
  await page.waitForTimeout(2_000);
  const status = page.getByTestId('status');
  const started = Date.now();
  await page.locator('input#file-input').setInputFiles(files);
  await page.waitForFunction(() => document.querySelector('[data-testid=status]').dataset.state === 'done', null, { timeout, polling: 5 });
  results.costs.push(Date.now() - started);
  await page.waitForFunction(() => document.querySelector('[data-testid=status]').dataset.explorer === 'ready', null, { timeout, polling: 5 });
  results.explorer.push(Date.now() - started);
  results.memoryExplorer.push(Number(await status.getAttribute('data-worker-memory')));
  await page.getByRole('tab', { name: 'Explorer' }).click();
  await page.getByTestId('explore-table').waitFor({ timeout });
  const header = (text) => page.waitForFunction((text) => document.querySelector('[data-testid=explore-table] thead th')?.textContent === text, text, { timeout, polling: 5 });
  let at = Date.now();
  await page.selectOption('#group-by', 'account');
  await header('Account');
  results.account.push(Date.now() - at);
  // Days are read on demand (the explorer's own cube is by month).
  at = Date.now();
  await page.selectOption('#grain', 'day');
  await page.waitForFunction(() => !document.querySelector('[data-testid=detail-status]')
    && document.querySelector('[data-testid=explore-table] thead th')?.textContent === 'Account'
    || document.querySelector('[data-testid=detail-status][role=alert]'), null, { timeout, polling: 5 });
  results.day.push(Date.now() - at);
  await page.selectOption('#grain', 'month');
  await page.waitForFunction((value) => [...document.querySelectorAll('#detail option')].some((o) => o.value === value), `tag:${tag}`, { timeout });
  at = Date.now();
  await page.selectOption('#detail', `tag:${tag}`);
  // The tag's groups, or the sentence saying they are too many for all the rows.
  await page.waitForFunction((text) => document.querySelector('[data-testid=explore-table] thead th')?.textContent === text
    || document.querySelector('[data-testid=detail-status][role=alert]'), `Tag ${tag}`, { timeout, polling: 5 });
  results.tag.push(Date.now() - at);
  results.tagOutcome = await page.locator('[data-testid=detail-status][role=alert]').count() ? 'too many: asks for a filter' : 'shown';
  if (withResources) {
    at = Date.now();
    await page.selectOption('#detail', 'resource');
    // The resources, or the sentence saying they are too many for all the rows.
    await page.waitForFunction(() => document.querySelector('[data-testid=explore-table] thead th')?.textContent === 'Resource'
      || document.querySelector('[data-testid=detail-status][role=alert]'), null, { timeout, polling: 5 });
    results.resource.push(Date.now() - at);
    results.resourceOutcome = await page.locator('[data-testid=detail-status][role=alert]').count() ? 'too many: asks for a filter' : 'shown';
    // The tag again, straight after: a scan that grew too large must not keep
    // the workers busy for the next one.
    at = Date.now();
    await page.selectOption('#detail', `tag:${tag}`);
    await page.waitForFunction((text) => document.querySelector('[data-testid=explore-table] thead th')?.textContent === text
      || document.querySelector('[data-testid=detail-status][role=alert]'), `Tag ${tag}`, { timeout, polling: 5 });
    results.tagAgain.push(Date.now() - at);
  }
  // The tabs read when first shown: the commitments, then one commitment's
  // resources (the largest first), then the check of each file.
  at = Date.now();
  await page.getByRole('tab', { name: 'Commitments' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=commitments-table], [data-testid=commitments-none]'), null, { timeout, polling: 5 });
  results.commitments.push(Date.now() - at);
  const paid = page.locator('[data-testid=commitment-resources-read]').first();
  if (await paid.count()) {
    at = Date.now();
    await paid.click();
    await page.locator('[data-testid=commitment-resources]').first().waitFor({ timeout });
    results.paid.push(Date.now() - at);
  }
  at = Date.now();
  await page.getByRole('tab', { name: 'Diagnostics' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=check-file]').length === n, files.length, { timeout, polling: 5 });
  results.check.push(Date.now() - at);
  results.memory.push(Number(await status.getAttribute('data-worker-memory')));
  results.renderer.push(rendererPeak(process.pid));
  if (process.env.DIAG) {
    // The page's own account of the run (per file: footer, costs and explorer time in the workers).
    await page.getByRole('tab', { name: 'Diagnostics' }).click();
    console.log(await page.getByTestId('diagnostics-text').textContent());
  }
  await context.close();
}
await browser.close();
await server.close();
const ms = (xs) => `${median(xs)} ms (${xs.join(', ')})`;
console.log(`file: ${file}, ${runs} runs, medians (each run):`);
console.log(`  costs page on screen:            ${ms(results.costs)}`);
console.log(`  explorer's first answer:         ${ms(results.explorer)}`);
console.log(`  new grouping from the cube:      ${ms(results.account)}`);
console.log(`  by account and day (days read):  ${ms(results.day)}`);
console.log(`  tag:${tag} read on demand:       ${ms(results.tag)} (${results.tagOutcome})`);
if (withResources) {
  console.log(`  resources read on demand:        ${ms(results.resource)} (${results.resourceOutcome})`);
  console.log(`  tag:${tag} again, after them:    ${ms(results.tagAgain)}`);
}
console.log(`  Commitments tab on screen:       ${ms(results.commitments)}`);
if (results.paid.length) console.log(`  a commitment's resources:        ${ms(results.paid)}`);
console.log(`  Diagnostics' check of the files: ${ms(results.check)}`);
console.log(`  largest worker's wasm memory:    ${Math.max(...results.memoryExplorer) / 2 ** 20} MB after the explorer's scan, ${Math.max(...results.memory) / 2 ** 20} MB after all`);
console.log(`  renderer's peak resident set:    ${Math.max(...results.renderer) / 2 ** 20} MB (VmHWM, workers and wasm included)`);
