// Every form AWS delivers the data in, end to end: a .csv.gz through the file
// input, a report folder through the folder input (each billing period counted
// once, the rest listed), currencies (never added), and the explorer on FOCUS
// and CUR 2.0 giving the costs page's total.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile, utimes } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { ROOT, serve, launch, openApp, upload, settled, totals, tableRows, cliReport, close, scratch } from './support.mjs';

const REAL = process.env.DUCKS_REAL_CUR ?? join(ROOT, '..', 'shared', 'real-cur');
let server, browser;

before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Legacy CUR text with CSV-style headers: [type, service, cost, currency] rows. */
function legacyCsv(rows) {
  const header = 'identity/LineItemId,lineItem/LineItemType,product/servicecode,lineItem/UnblendedCost,lineItem/CurrencyCode';
  return [header, ...rows.map(([t, s, c, cur], i) => `li-${i},${t},${s},${c},${cur ?? 'USD'}`)].join('\r\n') + '\r\n';
}

const REFERENCE = [['Usage', 'AmazonS3', 10], ['Usage', 'AmazonEC2', 20], ['Usage', 'AWSDataTransfer', '3E1'],
  ['Usage', 'AWSGlue', 40], ['Usage', 'AmazonGuardDuty', 50], ['Fee', 'AmazonS3', 60]];

/** Skips (with a printed reason) when the shared exports are absent, unless CI is set. */
function real(t, path) {
  const full = join(REAL, path);
  if (existsSync(full)) return full;
  assert.ok(!process.env.CI, `${full} is missing; CI is set, so this is a failure, not a skip`);
  t.skip(`${full} is missing (set DUCKS_REAL_CUR)`);
  return null;
}

async function toExplorer(page) {
  await page.getByRole('tab', { name: 'Explorer' }).click();
  await page.getByTestId('explore-table').waitFor({ timeout: 60_000 });
  return Number(await page.getByTestId('explore-table').getAttribute('data-total'));
}

test('a .csv.gz gives the reference figures, as the command line does', async () => {
  const dir = await scratch();
  const path = join(dir, 'report-00001.csv.gz');
  await writeFile(path, gzipSync(legacyCsv(REFERENCE)));
  const page = await openApp(browser, server.url);
  assert.equal(await upload(page, [path]), 'done');
  const total = await totals(page);
  assert.ok(close(total.undiscounted, 150) && close(total.discounted, 90.3) && close(total.blendedRate, 0.602), JSON.stringify(total));
  const expected = cliReport([path]);
  assert.deepEqual((await tableRows(page)).map((r) => r.service), expected.services.map((s) => s.service));
  assert.match(await page.getByTestId('totals').textContent(), /\$150\.00/);
  const requests = page.seen.requests.length;
  assert.ok(close(await toExplorer(page), 150), 'the explorer on a CSV gives the costs total');
  assert.equal(page.seen.requests.length, requests, 'nothing is fetched after load');
  assert.deepEqual(page.seen.errors, []);
});

test('a report folder counts each billing period once and lists what it left out', async () => {
  const dir = await scratch();
  const report = join(dir, 'report');
  const put = async (path, body, time) => {
    await mkdir(join(report, path, '..'), { recursive: true });
    await writeFile(join(report, path), body);
    if (time) await utimes(join(report, path), time, time);
  };
  // March delivered twice (the newer restates it), April once, and the helpers AWS writes.
  await put('20240301-20240401/old/report-1.csv.gz', gzipSync(legacyCsv([['Usage', 'AmazonS3', 100]])), 1_700_000_000);
  await put('20240301-20240401/new/report-1.csv.gz', gzipSync(legacyCsv([['Usage', 'AmazonS3', 10]])), 1_700_100_000);
  await put('20240301-20240401/new/report-2.csv.gz', gzipSync(legacyCsv([['Usage', 'AmazonEC2', 20]])), 1_700_100_000);
  await put('20240301-20240401/report-Manifest.json', JSON.stringify({ assemblyId: 'new', reportKeys: [
    'p/report/20240301-20240401/new/report-1.csv.gz', 'p/report/20240301-20240401/new/report-2.csv.gz'] }));
  await put('20240401-20240501/only/report-1.csv.gz', gzipSync(legacyCsv([['Usage', 'AWSGlue', 40]])));
  await put('report-create-table.sql', 'CREATE TABLE ...');
  const page = await openApp(browser, server.url);
  await page.locator('input[type=file][webkitdirectory]').setInputFiles(report);
  assert.equal(await settled(page), 'done');
  assert.ok(close((await totals(page)).undiscounted, 70), 'the old March delivery is left out');
  assert.deepEqual(cliReport([report]).total.undiscounted, 70);
  await page.getByRole('tab', { name: 'Diagnostics' }).click();
  const skipped = await page.getByTestId('diagnostics-skipped').locator('li').allTextContents();
  assert.equal(skipped.length, 3, skipped.join('\n'));
  assert.ok(skipped.some((line) => line.includes('old/report-1.csv.gz') && line.includes('newest manifest of period 20240301-20240401')), skipped.join('\n'));
  assert.ok(skipped.some((line) => line.includes('report-create-table.sql')), skipped.join('\n'));
  assert.deepEqual(page.seen.errors, []);
});

test('a EUR report is shown in euros, and mixed currencies are never added', async () => {
  const dir = await scratch();
  const euros = join(dir, 'eur.csv');
  await writeFile(euros, legacyCsv([['Usage', 'AmazonS3', 1843.27, 'EUR']]));
  const yen = join(dir, 'jpy.csv');
  await writeFile(yen, legacyCsv([['Usage', 'AmazonEC2', 243054, 'JPY']]));
  const page = await openApp(browser, server.url);
  assert.equal(await upload(page, [euros]), 'done');
  const block = page.getByTestId('totals');
  assert.equal(await block.getAttribute('data-currency'), 'EUR');
  assert.match(await block.textContent(), /€1,843\.27/);
  assert.doesNotMatch(await block.textContent(), /\$/);

  assert.equal(await upload(page, [euros, yen]), 'done');
  assert.equal(await block.getAttribute('data-undiscounted'), null, 'no one total across currencies');
  assert.match(await page.getByTestId('mixed-currencies').textContent(), /2 currencies \(JPY, EUR\)|2 currencies \(EUR, JPY\)/);
  const each = await page.getByTestId('currency-total').evaluateAll((els) => els.map((e) => [e.dataset.currency, Number(e.dataset.undiscounted)]));
  assert.deepEqual(Object.fromEntries(each), { EUR: 1843.27, JPY: 243054 });
  assert.match(await block.textContent(), /¥243,054(?!\.)/, 'yen have no decimals');
  assert.deepEqual(cliReport([euros, yen]).total, null);
  assert.deepEqual(page.seen.errors, []);
});

test('the explorer on FOCUS and CUR 2.0 gives the costs total', async (t) => {
  for (const path of ['derived/focus_sample.snappy.parquet', 'focus-1.0-sample/focus_sample.csv', 'more/derived/ha-project-CUR-daily-1-00001.csv.gz']) {
    const file = real(t, path);
    if (!file) return;
    const page = await openApp(browser, server.url);
    assert.equal(await upload(page, [file]), 'done', path);
    const costs = (await totals(page)).undiscounted;
    assert.ok(close(costs, cliReport([file]).total.undiscounted), path);
    const explored = await toExplorer(page);
    assert.ok(explored > 0 && close(explored, costs), `${path}: explorer ${explored} vs costs ${costs}`);
    assert.equal(await page.getByTestId('explorer-problems').count(), 0, path);
    assert.deepEqual(page.seen.errors, [], path);
    await page.context().close();
  }
});

test('Athena text output and a manifest are refused with a sentence saying what they are', async (t) => {
  const hive = real(t, 'more/wal-workload-efficiency-hive-text/Step1CUR.gz');
  const manifest = real(t, 'more/cur2-csv-ola-raji/ha-project-CUR-daily-1-Manifest.json');
  if (!hive || !manifest) return;
  const page = await openApp(browser, server.url);
  assert.equal(await upload(page, [hive, manifest]), 'error');
  const problems = await page.$$eval('[data-testid=file-errors] li', (items) => items.map((item) => item.textContent));
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.match(problems[0], /^Step1CUR\.gz: This file is Athena's text output/);
  assert.match(problems[1], /Manifest\.json: This file is the manifest of an AWS report delivery/);
});

test('services show their display names, and the service box finds them by name', async (t) => {
  const file = real(t, 'cur-legacy-wal/WorkshopCUR/year=2018/month=10/Oct2018-WorkshopCUR-00001.snappy.parquet');
  if (!file) return;
  const page = await openApp(browser, server.url);
  assert.equal(await upload(page, [file]), 'done');
  assert.equal(await page.locator('tr[data-service="AmazonEC2"] .services__name').textContent(), 'Amazon Elastic Compute Cloud');
  assert.equal(await page.locator('tr[data-service="AWSDataTransfer"] .services__name').count(), 0, 'no one name for data transfer');
  const box = page.getByRole('combobox', { name: 'Service' });
  await box.fill('Elastic Compute');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  assert.equal(await page.getByTestId('detail-service').textContent(), 'AmazonEC2');
  assert.equal(await page.getByTestId('detail-name').textContent(), 'Amazon Elastic Compute Cloud');
  assert.deepEqual(page.seen.errors, []);
});

test('a real CUR 2.0 CSV: its tags found in the JSON column with their share of cost, its account names beside the ids', async (t) => {
  const path = real(t, 'more/cur2-csv-ola-raji/ha-project-CUR-daily-1-00001.csv');
  if (!path) return;
  const page = await openApp(browser, server.url);
  assert.equal(await upload(page, [path]), 'done');
  await toExplorer(page);
  // The census of resource_tags: keys without their user_ prefix, each with its share.
  await page.waitForFunction(() => [...document.querySelectorAll('#detail option')].some((o) => o.value === 'tag:project'), null, { timeout: 60_000 });
  const label = await page.locator('#detail option[value="tag:project"]').textContent();
  assert.match(label, /^Tag: project \(\d+% of cost\)$/);
  await page.selectOption('#detail', 'tag:project');
  await page.waitForFunction(() => document.querySelector('[data-testid=explore-table] thead th')?.textContent === 'Tag project');
  const rows = await page.$$eval('[data-testid=explore-table] tbody tr', (rs) => Object.fromEntries(rs.map((r) => [r.dataset.key, Number(r.dataset.cost)])));
  // DuckDB: json_extract_string(resource_tags, '$.user_project') over the usage rows.
  assert.ok(close(rows['ha-web-portal'], 19.521666841099997), JSON.stringify(rows));
  const share = Number(label.match(/\((\d+)%/)[1]);
  const total = Object.values(rows).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(share - Math.round(rows['ha-web-portal'] / total * 100)) <= 1, `${share}% vs the table`);
  // Account names from line_item_usage_account_name.
  await page.selectOption('#detail', '');
  await page.selectOption('#group-by', 'account');
  const [account] = await page.$$eval('[data-testid=explore-table] tbody tr th', (ths) => ths.map((th) => th.textContent));
  assert.match(account, /^.+ \(\d{12}\)$/, account);
  assert.deepEqual(page.seen.errors, []);
});
