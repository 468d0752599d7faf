// Hostile files one after another, a crashing reader, damaged settings: the page
// answers each clearly and keeps working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ROOT, serve, launch, openApp, upload, totals, tableRows, cliReport, close, writeCur, scratch } from './support.mjs';

const CORPUS = resolve(process.env.DUCKS_CORPUS ?? join(ROOT, '..', 'shared', 'parquet-corpus'));
const MADE = join(CORPUS, 'made');
let server, browser;

before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** The names of the files left out, with their reasons. */
function problems(page) {
  return page.$$eval('[data-testid=file-errors] li', (items) => items.map((item) => item.textContent));
}

test('a series of hostile files, each refused clearly, then a good one read right', async (t) => {
  // The shared corpus lies beside the repository; a plain clone has none (CI must).
  if (!existsSync(join(MADE, 'EXPECTED.json'))) {
    assert.ok(!process.env.CI, `${MADE} is missing; CI is set, so this is a failure, not a skip`);
    t.skip(`${MADE} is missing (set DUCKS_CORPUS to its directory)`);
    return;
  }
  const page = await openApp(browser, server.url);
  const hostile = [
    'trunc_half.parquet', 'footer_len_huge.parquet', 'lie_page_uncompressed_size_2g.parquet',
    'lie_dict_num_values_2g.parquet', 'lie_schema_root_children_huge.parquet', 'corrupt_cost_page_payload.parquet',
    'random_par1_plausible_len.parquet', 'csv_renamed.parquet', 'zero_bytes.parquet', 'lie_rowgroup_num_rows_huge.parquet',
  ];
  for (const name of hostile) {
    assert.equal(await upload(page, [join(MADE, name)]), 'error', name);
    const [reason] = await problems(page);
    assert.match(reason, new RegExp(`^${name.replace('.', '\\.')}: This (file|Parquet file) is `), reason);
  }
  // Real-world damaged files from other projects, all at once.
  const badData = join(CORPUS, 'bad_data');
  const { readdir } = await import('node:fs/promises');
  const others = (await readdir(badData)).map((name) => join(badData, name));
  assert.equal(await upload(page, others), 'error');
  assert.equal((await problems(page)).length, others.length);

  // A file that really crashes the decoder (found by fuzzing): its worker dies and is replaced.
  const crashing = join(ROOT, 'tests', 'fixtures', 'fuzz', 'def-levels-out-of-bounds.parquet');
  assert.equal(await upload(page, [crashing]), 'error');
  assert.match((await problems(page))[0], /^def-levels-out-of-bounds\.parquet: The reader crashed on this file/);

  const good = join(MADE, 'valid_cur_multi_rowgroup_zstd_v2.parquet');
  assert.equal(await upload(page, [good]), 'done');
  const expected = cliReport([good]);
  assert.ok(close((await totals(page)).undiscounted, expected.total.undiscounted));
  assert.equal((await tableRows(page)).length, expected.services.length);
});

test('a reader that crashes loses only its file; a fresh one reads the next', async () => {
  const dir = await scratch();
  const page = await openApp(browser, server.url);
  await page.waitForTimeout(1000);
  // Make every current worker die the way a wasm trap kills it: an exception out
  // of its message handler, for one file name.
  for (const worker of page.workers()) {
    await worker.evaluate(() => {
      const serve = self.onmessage;
      self.onmessage = (event) => {
        if (event.data.file?.name === 'crash-me.parquet') throw new WebAssembly.RuntimeError('unreachable');
        return serve.call(self, event);
      };
    });
  }
  const doomed = await writeCur(join(dir, 'crash-me.parquet'), [['Usage', 'AmazonS3', 1]]);
  const fine = await writeCur(join(dir, 'fine.parquet'), [['Usage', 'AmazonEC2', 2.5], ['Usage', 'AmazonS3', 4]]);
  assert.equal(await upload(page, [doomed, fine]), 'done', 'the other file still gives figures');
  const [reason, ...rest] = await problems(page);
  assert.deepEqual(rest, []);
  assert.match(reason, /^crash-me\.parquet: The reader crashed on this file/);
  assert.deepEqual((await tableRows(page)).map((row) => [row.service, row.undiscounted]), [['AmazonS3', 4], ['AmazonEC2', 2.5]]);

  // The crashed workers were replaced by fresh ones, which read everything.
  const again = join(dir, 'again.parquet');
  await copyFile(doomed, again);
  assert.equal(await upload(page, [again, fine]), 'done');
  assert.deepEqual(await problems(page), []);
  assert.equal((await totals(page)).undiscounted, 7.5);
});

test('Cancel stops the work at once: busy workers are ended and replaced, and the next files read right', async () => {
  const dir = await scratch();
  const page = await openApp(browser, server.url);
  await page.waitForTimeout(1000);
  // Every current worker spins forever on one file name, as a scan of a huge file
  // would keep it busy: only terminating the worker stops that.
  const workers = page.workers();
  assert.ok(workers.length > 0);
  for (const worker of workers) {
    await worker.evaluate(() => {
      const serve = self.onmessage;
      self.onmessage = (event) => {
        if (event.data.file?.name === 'endless.parquet') for (;;);
        return serve.call(self, event);
      };
    });
  }
  const ended = Promise.all(workers.map((worker) => new Promise((ok) => worker.once('close', ok))));
  const endless = await writeCur(join(dir, 'endless.parquet'), [['Usage', 'AmazonS3', 1]]);
  await page.locator('input#file-input').setInputFiles(endless);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=status]').dataset.state === 'idle', null, { timeout: 2_000 });
  const late = new Promise((_, fail) => setTimeout(() => fail(new Error('a busy worker was not ended')), 5_000));
  await Promise.race([ended, late]);

  const fine = await writeCur(join(dir, 'fine.parquet'), [['Usage', 'AmazonEC2', 2.5], ['Usage', 'AmazonS3', 4]]);
  assert.equal(await upload(page, [fine]), 'done', 'fresh workers read the next file');
  assert.equal((await totals(page)).undiscounted, 6.5);
  assert.deepEqual(await problems(page), []);
});

test('a damaged saved discount table falls back to the defaults (no discounts) with a notice', async () => {
  const page = await openApp(browser, server.url);
  await page.evaluate(() => localStorage.setItem('ducks.discounts.v1', '{"AmazonS3": "free", '));
  await page.reload();
  await page.getByTestId('status').waitFor();
  const notice = page.getByTestId('settings-notice');
  await notice.waitFor();
  assert.match(await notice.textContent(), /saved discount table was ignored/);
  const dir = await scratch();
  const file = await writeCur(join(dir, 'a.parquet'), [['Usage', 'AmazonS3', 100]]);
  assert.equal(await upload(page, [file]), 'done');
  assert.equal((await tableRows(page))[0].discounted, 100);
});

test('importing a bad discount file changes nothing', async () => {
  const dir = await scratch();
  const file = await writeCur(join(dir, 'a.parquet'), [['Usage', 'AmazonS3', 100], ['Usage', 'AmazonEC2', 10]]);
  const bad = join(dir, 'discounts.json');
  await writeFile(bad, '{"AmazonS3": 88, "AmazonEC2": 0.1}');
  const page = await openApp(browser, server.url);
  assert.equal(await upload(page, [file]), 'done');
  const before = await tableRows(page);
  const saved = await page.evaluate(() => localStorage.getItem('ducks.workspaces.v1'));
  await page.getByText('Discount multipliers').click();
  await page.locator('#discounts-import').setInputFiles(bad);
  const problem = page.locator('.discounts__problem');
  await problem.waitFor();
  assert.match(await problem.textContent(), /discounts\.json was not imported: .*multiplier for AmazonS3 is 88/);
  assert.deepEqual(await tableRows(page), before);
  assert.equal(await page.evaluate(() => localStorage.getItem('ducks.workspaces.v1')), saved, 'nothing was saved');
});

test("the workers' engine is fetched once for all of them, and a host that serves wasm with another type still works", async () => {
  const dir = await scratch();
  const file = await writeCur(join(dir, 'a.parquet'), [['Usage', 'AmazonS3', 100], ['Usage', 'AmazonEC2', 10]]);
  for (const type of ['application/wasm', 'application/octet-stream']) {
    const context = await browser.newContext();
    // compileStreaming refuses anything but application/wasm; the page then compiles from the bytes.
    await context.route('**/ducks-worker_bg.wasm', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-type': type } });
    });
    const page = await context.newPage();
    const fetched = [];
    context.on('request', (request) => { if (request.url().endsWith('/ducks-worker_bg.wasm')) fetched.push(request.url()); });
    await page.goto(server.url);
    await page.getByTestId('status').waitFor();
    assert.equal(await upload(page, [file]), 'done', type);
    assert.equal((await totals(page)).undiscounted, 110);
    assert.ok(page.workers().length >= 2, `${page.workers().length} workers`);
    // Streaming (or the fallback's one more fetch) on the page; none by the workers.
    assert.equal(fetched.length, type === 'application/wasm' ? 1 : 2, `${type}: ${fetched.join(', ')}`);
    await context.close();
  }
});

test("the page's warm-up leaves no trace: no figures, no saved file, no URL, no request, and a file after it reads right", async () => {
  const page = await openApp(browser, server.url);
  // It reads its own small file on the workers and renders out of sight.
  await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.dataset.warmedUp, null, { timeout: 30_000 });
  const requests = page.seen.requests.length;
  assert.equal(await page.getByTestId('status').getAttribute('data-state'), 'idle');
  assert.equal(await page.locator('.costs').count(), 0, 'no costs page shown');
  assert.equal(await page.getByTestId('costs-table').count(), 0);
  const text = await page.evaluate(() => document.body.innerText);
  assert.doesNotMatch(text, /warm-up/);
  const saved = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.doesNotMatch(saved, /warm-up/, 'the warm-up file is not among the recent files');
  assert.equal(new URL(page.url()).search, '', 'the URL is untouched');
  const dir = await scratch();
  const file = await writeCur(join(dir, 'a.parquet'), [['Usage', 'AmazonS3', 100], ['Usage', 'AmazonEC2', 20]]);
  assert.equal(await upload(page, [file]), 'done');
  assert.deepEqual((await tableRows(page)).map((row) => [row.service, row.undiscounted]), [['AmazonS3', 100], ['AmazonEC2', 20]]);
  assert.equal(page.seen.requests.length, requests, 'no request after load');
  assert.deepEqual(page.seen.errors, []);
  await close(page);
});
