// The explorer end to end: every grouping against the costs page, filters and
// drill-down, the charts, the exports (and the SQL, run in DuckDB), the view in
// the URL, and workspaces.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { DEMO, DUCKS, ROOT, serve, launch, openApp, upload, settled, totals, tableRows, close } from './support.mjs';

const MONTHS = ['cur-2024-01.parquet', 'cur-2024-02.parquet', 'cur-2024-03.parquet'].map((name) => join(DEMO, name));
let server, browser;

before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/**
 * Opens the app with the demo months read and the explorer ready; `page.costs`
 * holds the costs page's totals and rows, read before leaving it.
 */
async function explorer(url = server.url, options = {}) {
  const page = await openApp(browser, url, { acceptDownloads: true, ...options });
  assert.equal(await upload(page, MONTHS), 'done');
  const explore = page.getByRole('tab', { name: 'Explorer' });
  if ((await explore.getAttribute('aria-selected')) !== 'true') {
    page.costs = { totals: await totals(page), rows: await tableRows(page) };
    await explore.click();
  }
  await page.getByTestId('explore-table').waitFor({ timeout: 60_000 });
  return page;
}

const exploreTotal = async (page) => Number(await page.getByTestId('explore-table').getAttribute('data-total'));
const groups = (page) => page.$$eval('[data-testid=explore-table] tbody tr', (rows) => rows.map((r) => ({ key: r.dataset.key, cost: Number(r.dataset.cost), currency: r.dataset.currency })));
const duckdb = (sql) => JSON.parse(execFileSync('python3', ['-c', 'import duckdb, json, sys; print(json.dumps([[str(v) for v in row[:2]] + [row[2]] for row in duckdb.sql(sys.argv[1]).fetchall()]))', sql.replace("'cur/**/*.parquet'", `'${join(DEMO, '*.parquet')}'`)], { encoding: 'utf8' }));

test('every grouping sums to the costs page total', async () => {
  const page = await explorer();
  const costs = page.costs.totals.undiscounted;
  const options = await page.locator('#group-by option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(options, ['service', 'account', 'region', 'usage-type', 'operation', 'line-item-type', 'currency', 'unit', 'provider', 'month', 'day']);
  for (const by of options) {
    await page.selectOption('#group-by', by);
    await page.waitForFunction((by) => document.querySelector('#group-by').value === by, by);
    const total = await exploreTotal(page);
    assert.ok(close(total, costs), `${by}: ${total} vs ${costs}`);
    const rows = await groups(page);
    assert.ok(close(rows.reduce((sum, r) => sum + r.cost, 0), costs), `${by}: the rows add up`);
  }
  await page.selectOption('#group-by', 'month');
  assert.deepEqual((await groups(page)).map((r) => r.key), ['2024-01', '2024-02', '2024-03']);
  // Every line item type counted: more than usage alone.
  await page.selectOption('#usage-preset', 'all');
  const everything = await exploreTotal(page);
  assert.ok(!close(everything, costs), "credits, taxes and fees change the total");
  await page.getByRole('tab', { name: 'Costs' }).click();
  assert.ok(close((await totals(page)).undiscounted, everything), 'the costs page follows the setting');
  assert.deepEqual(page.seen.errors, []);
});

test('filters and drilling down narrow the figures', async () => {
  const page = await explorer();
  const costRows = page.costs.rows;
  const ec2 = costRows.find((r) => r.service === 'AmazonEC2').undiscounted;

  // A service filter, picked with the keyboard.
  const box = page.getByRole('combobox', { name: 'Filter services' });
  await box.focus();
  await page.keyboard.type('ec2');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.getByTestId('crumb').first().waitFor();
  assert.equal(await page.getByTestId('crumb').first().textContent(), 'Service: AmazonEC2×');
  assert.ok(close(await exploreTotal(page), ec2));

  // Drill into a service from the table: its usage types.
  await page.getByRole('button', { name: 'Remove Service: AmazonEC2' }).click();
  await page.getByTestId('explore-table').getByRole('button', { name: 'AmazonS3', exact: true }).click();
  assert.equal(await page.locator('#group-by').inputValue(), 'usage-type');
  const s3 = costRows.find((r) => r.service === 'AmazonS3').undiscounted;
  assert.ok(close(await exploreTotal(page), s3));
  assert.ok((await groups(page)).every((g) => /TimedStorage|Requests|DataTransfer/.test(g.key)));

  // A date range: February only.
  await page.getByRole('button', { name: 'All costs' }).click();
  await page.selectOption('#group-by', 'month');
  await page.fill('#date-from', '2024-02-01');
  await page.fill('#date-to', '2024-02-29');
  await page.locator('#date-to').blur();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=explore-table] tbody tr').length === 1);
  assert.deepEqual((await groups(page)).map((g) => g.key), ['2024-02']);
});

test('days are read from the files when the view needs them, and agree with the months', async () => {
  const page = await explorer();
  await page.selectOption('#group-by', 'month');
  const february = (await groups(page)).find((g) => g.key === '2024-02').cost;
  // The explorer's own figures are by month; a time axis by day reads the days.
  await page.selectOption('#grain', 'day');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=time-chart] .chart__column').length >= 80, null, { timeout: 60_000 });
  await page.selectOption('#group-by', 'day');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=explore-table] tbody tr').length >= 80, null, { timeout: 60_000 });
  const days = await groups(page);
  const inFebruary = days.filter((g) => g.key.startsWith('2024-02'));
  assert.ok(close(inFebruary.reduce((sum, g) => sum + g.cost, 0), february), 'the days of February add up to it');
  // Dates within a month need days too.
  await page.selectOption('#grain', 'month');
  await page.fill('#date-from', '2024-02-10');
  await page.fill('#date-to', '2024-02-20');
  await page.locator('#date-to').blur();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=explore-table] tbody tr')].every((r) => r.dataset.key >= '2024-02-10' && r.dataset.key <= '2024-02-20'));
  const some = days.filter((g) => g.key >= '2024-02-10' && g.key <= '2024-02-20');
  assert.ok(some.length > 0 && some.length <= 11);
  assert.ok(close(await exploreTotal(page), some.reduce((sum, g) => sum + g.cost, 0)));
  assert.ok(await exploreTotal(page) < february);
  assert.deepEqual(page.seen.errors, []);
});

test('the charts are drawn, with words for those who cannot see them', async () => {
  const page = await explorer();
  const bars = page.locator('[data-testid=bar-chart] .chart__bar');
  assert.equal(await bars.count(), 12);
  assert.equal(await bars.first().getAttribute('data-key'), 'AmazonEC2');
  assert.equal(await page.locator('[data-testid=bar-chart] svg').getAttribute('role'), 'group');
  assert.match(await bars.first().getAttribute('aria-label'), /^AmazonEC2: \$/);
  assert.match(await page.locator('#bar-chart-summary').textContent(), /^AmazonEC2 \$/);
  const columns = page.locator('[data-testid=time-chart] rect');
  assert.ok((await columns.count()) >= 3 * 6, 'three months, five services and the rest');
  const legend = await page.locator('[data-testid=time-chart] .chart__key').allTextContents();
  assert.deepEqual(legend.slice(0, 2), ['AmazonEC2', 'AmazonS3']);
  assert.equal(legend.at(-1), 'Other');
  // Twelve colours that do not repeat in a chart, and "Other" in its own grey.
  const fills = await page.$$eval('[data-testid=bar-chart] rect', (rects) => rects.map((r) => r.getAttribute('class')));
  assert.equal(new Set(fills).size, 12);
  const swatches = await page.$$eval('[data-testid=time-chart] .chart__swatch', (s) => s.map((e) => e.className));
  assert.match(swatches.at(-1), /chart__fill--other/);
  assert.equal(new Set(swatches).size, swatches.length);
  // Gridlines at round values, and "+N more" where the table has more groups than bars.
  const ticks = await page.$$eval('[data-testid=time-chart] .chart__tick', (t) => t.map((e) => e.textContent).filter((x) => x.startsWith('$')));
  assert.ok(ticks.length >= 3 && ticks[0] === '$0.00', ticks.join(' '));
  assert.ok(ticks.every((tick) => /^\$[\d,]+\.00$/.test(tick)), ticks.join(' '));
  const groupsShown = await page.locator('[data-testid=explore-table] tbody tr').count();
  assert.equal(await page.getByTestId('bar-chart-more').textContent(), `+${groupsShown - 12} more in the table below`);
  // Marks are reached with Tab, and the focused one is read out under its chart.
  await page.locator('[data-testid=time-chart] .chart__column').first().focus();
  assert.match(await page.getByTestId('time-chart-readout').textContent(), /^2024-01: \$[\d,.]+ \(AmazonEC2 \$/);
  await page.keyboard.press('Tab');
  assert.match(await page.getByTestId('time-chart-readout').textContent(), /^2024-02: /);
  await bars.nth(1).hover();
  assert.match(await page.getByTestId('bar-chart-readout').textContent(), /^AmazonS3: \$/);
  // On a phone the text keeps its size: the drawing is laid out at its width, not scaled down.
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.waitForFunction(() => {
      const svg = document.querySelector('[data-testid=time-chart] svg');
      return Math.abs(svg.getBoundingClientRect().width - svg.viewBox.baseVal.width) < 2;
    });
    const smallest = await page.$$eval('.chart__svg text', (texts) => Math.min(...texts.map((t) => {
      const svg = t.ownerSVGElement;
      return parseFloat(getComputedStyle(t).fontSize) * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    })));
    assert.ok(smallest >= 11, `${width} px: chart text is ${smallest.toFixed(1)} px`);
  }
  // By day, the bars are the largest days, not the first twelve.
  await page.selectOption('#group-by', 'day');
  await page.waitForFunction(() => document.querySelector('#group-by').value === 'day');
  const dayBars = await page.$$eval('[data-testid=bar-chart] .chart__bar', (b) => b.map((e) => e.dataset.key));
  const days = await groups(page);
  const largest = [...days].sort((a, b) => b.cost - a.cost).slice(0, 12).map((d) => d.key);
  assert.deepEqual(dayBars, largest);
});

test('exports hold the table, and the SQL gives the same figures in DuckDB', async () => {
  const page = await explorer();
  await page.selectOption('#group-by', 'region');
  const shown = await groups(page);

  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  assert.equal(csvDownload.suggestedFilename(), 'ducks-unblended-by-region.csv');
  const lines = (await readFile(await csvDownload.path(), 'utf8')).trim().split('\r\n');
  // Led by what the table is of: the view (its filters) and the files.
  const notes = lines.filter((line) => line.startsWith('# '));
  assert.match(notes.join('\n'), /^# ducks: Unblended cost by region\n# view \(filters, dates, usage rule\): \?tab=explore&by=region&file=cur-2024-01\.parquet&file=cur-2024-02\.parquet&file=cur-2024-03\.parquet\n# files: cur-2024-01\.parquet, cur-2024-02\.parquet, cur-2024-03\.parquet$/);
  const csv = lines.slice(notes.length);
  assert.equal(csv[0], 'Region,Cost,Currency,Rows');
  assert.ok(csv.slice(1).every((line) => line.split(',')[2] === 'USD'), 'each row carries its currency');
  // Every digit a cost carries (ten decimals), no binary noise.
  assert.ok(csv.slice(1).every((line) => /^-?\d+(\.\d{1,10})?$/.test(line.split(',')[1])), csv.join('\n'));
  assert.deepEqual(csv.slice(1).map((line) => line.split(',')[0]), shown.map((g) => g.key));
  csv.slice(1).forEach((line, i) => assert.ok(Math.abs(Number(line.split(',')[1]) - shown[i].cost) < 1e-9, line));

  const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download JSON' }).click()]);
  const json = JSON.parse(await readFile(await jsonDownload.path(), 'utf8'));
  assert.equal(json.query.group_by, 'Region');
  assert.deepEqual(json.result.totals.map((t) => t.currency), ['USD']);
  assert.ok(close(json.result.totals[0].cost, await exploreTotal(page)));

  await page.getByText('SQL for these figures').click();
  const sql = await page.getByTestId('sql').textContent();
  assert.match(sql, /"product_region" AS "region"/);
  // Run it: DuckDB over the same files must agree with the page.
  const query = sql.replace("'cur/**/*.parquet'", `'${join(DEMO, '*.parquet')}'`);
  const result = JSON.parse(execFileSync('python3', ['-c', 'import duckdb, json, sys; print(json.dumps(duckdb.sql(sys.argv[1]).fetchall()))', query], { encoding: 'utf8' }));
  assert.ok(result.every(([, currency]) => currency === 'USD'), 'one row per group and currency');
  const fromDuckdb = Object.fromEntries(result.map(([key, , cost]) => [key, cost]));
  for (const g of shown) assert.ok(close(fromDuckdb[g.key], g.cost), `${g.key}: ${fromDuckdb[g.key]} vs ${g.cost}`);

  // Amortized, by month, with every line item type: the CID formula in SQL too.
  await page.selectOption('#measure', 'amortized');
  // Under "Usage only" no reservation or Savings Plan row counts: the page says the amortized cost cannot differ.
  assert.match(await page.getByTestId('measure-notes').textContent(), /equals the unblended cost/);
  await page.selectOption('#group-by', 'month');
  await page.selectOption('#usage-preset', 'all');
  await page.waitForFunction(() => !document.querySelector('[data-testid=measure-notes]'));
  const amortized = await groups(page);
  const monthly = JSON.parse(execFileSync('python3', ['-c', 'import duckdb, json, sys; print(json.dumps([[str(k)[:7], v] for k, _, v in duckdb.sql(sys.argv[1]).fetchall()]))', (await page.getByTestId('sql').textContent()).replace("'cur/**/*.parquet'", `'${join(DEMO, '*.parquet')}'`)], { encoding: 'utf8' }));
  assert.deepEqual(monthly.map(([k]) => k), amortized.map((g) => g.key));
  monthly.forEach(([, cost], i) => assert.ok(close(cost, amortized[i].cost), `${amortized[i].key}`));
});

test('list cost and usage quantities, per unit, agree with DuckDB', async () => {
  const page = await explorer();
  await page.selectOption('#measure', 'list');
  await page.waitForFunction(() => document.querySelector('[data-testid=explore-table] th.numeric')?.textContent === 'Cost');
  const list = await groups(page);
  assert.ok(list.length > 0 && !close(await exploreTotal(page), page.costs.totals.undiscounted), 'list prices are not what was paid');
  await page.getByText('SQL for these figures').click();
  const byService = Object.fromEntries(duckdb(await page.getByTestId('sql').textContent()).map(([key, , cost]) => [key, cost]));
  for (const g of list) assert.ok(close(byService[g.key], g.cost), `list ${g.key}: ${byService[g.key]} vs ${g.cost}`);

  await page.selectOption('#measure', 'usage');
  await page.selectOption('#group-by', 'usage-type');
  await page.waitForFunction(() => document.querySelector('[data-testid=explore-table] th.numeric')?.textContent === 'Quantity');
  const usage = await groups(page);
  assert.ok(usage.every((g) => g.currency !== 'USD'), 'quantities carry their unit, not a currency');
  assert.equal(await page.getByTestId('explore-table').getAttribute('data-total'), '', 'hours and gigabytes have no common total');
  assert.match(await page.locator('.services__caption').first().textContent(), / Hrs/);
  const rows = duckdb(await page.getByTestId('sql').textContent());
  assert.equal(rows.length, usage.length);
  const byKey = Object.fromEntries(rows.map(([key, unit, quantity]) => [`${key}|${unit}`, quantity]));
  for (const g of usage) assert.ok(close(byKey[`${g.key}|${g.currency}`], g.cost), `${g.key} in ${g.currency}`);
  // Each chart keeps to one unit, and says so.
  assert.match(await page.getByTestId('bar-chart-only').textContent(), /^Quantities in \S+ only: .* in the table below \(units are never added\)\.$/);
  assert.match(await page.getByTestId('time-chart-only').textContent(), /^Quantities in \S+ only: /);
  // One unit picked, one total again.
  const unit = page.getByRole('combobox', { name: 'Filter units' });
  await unit.fill('Hrs');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.getByTestId('crumb').first().waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid=explore-table]').dataset.total !== '');
  assert.ok((await groups(page)).every((g) => g.currency === 'Hrs'));
  assert.equal(await page.getByTestId('bar-chart-only').count(), 0);
  assert.deepEqual(page.seen.errors, []);
});

test('a link opened on an empty page says its view waits for its files, by name', async () => {
  const page = await explorer();
  await page.selectOption('#group-by', 'account');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('by') === 'account');
  const fresh = await openApp(browser, page.url());
  const note = fresh.getByTestId('link-waiting');
  assert.match(await note.textContent(), /opens once you choose the files it was made on: cur-2024-01\.parquet, cur-2024-02\.parquet, cur-2024-03\.parquet\./);
  assert.equal(await upload(fresh, MONTHS), 'done');
  assert.equal(await fresh.getByTestId('link-waiting').count(), 0);
  assert.equal(await fresh.locator('#group-by').inputValue(), 'account');
});

test('the view lives in the URL and comes back when the files do', async () => {
  const page = await explorer();
  await page.selectOption('#group-by', 'account');
  await page.selectOption('#measure', 'net-unblended');
  const box = page.getByRole('combobox', { name: 'Filter regions' });
  await box.fill('eu-west-1');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.getByTestId('crumb').first().waitFor();
  const url = page.url();
  assert.match(url, /tab=explore/);
  assert.match(url, /by=account/);
  assert.match(url, /measure=net-unblended/);
  assert.match(url, /region=eu-west-1/);
  const before = await groups(page);

  const again = await explorer(url);
  assert.equal(await again.locator('#group-by').inputValue(), 'account');
  assert.equal(await again.locator('#measure').inputValue(), 'net-unblended');
  assert.equal(await again.getByTestId('crumb').first().textContent(), 'Region: eu-west-1×');
  assert.deepEqual(await groups(again), before);

  // Back undoes the filter, then the measure, then the grouping, inside the page; Forward redoes.
  await page.goBack();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=crumb]').length === 0);
  assert.equal(await page.locator('#measure').inputValue(), 'net-unblended');
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('#measure').value === 'unblended');
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('#group-by').value === 'service');
  assert.match(page.url(), /tab=explore/, 'still on the page, on the explorer');
  await page.goForward();
  await page.waitForFunction(() => document.querySelector('#group-by').value === 'account');
  assert.deepEqual(page.seen.errors, []);
});

test('workspaces keep their own discounts, and travel as files', async () => {
  const page = await openApp(browser, server.url, { acceptDownloads: true });
  assert.equal(await upload(page, MONTHS), 'done');
  const s3Rate = async () => (await tableRows(page)).find((r) => r.service === 'AmazonS3').rate;
  assert.equal(await s3Rate(), 0.88);

  await page.getByText('Manage workspaces').click();
  assert.match(await page.locator('.workspaces__recent').textContent(), /cur-2024-03\.parquet/);
  await page.fill('#new-workspace', 'Acme');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  assert.equal(await page.locator('#workspace option:checked').textContent(), 'Acme');
  await page.waitForFunction(() => document.querySelector('tr[data-service="AmazonS3"]')?.dataset.rate === '1');
  assert.match(await page.getByTestId('discount-table').textContent(), /no discounts/, 'a new workspace has none');
  await page.getByText('Discount multipliers').click();
  await page.locator('input[data-service="AmazonS3"]').fill('0.5');
  await page.locator('input[data-service="AmazonS3"]').press('Enter');
  await page.waitForFunction(() => document.querySelector('tr[data-service="AmazonS3"]')?.dataset.rate === '0.5');

  await page.selectOption('#workspace', { label: 'Default' });
  await page.waitForFunction(() => document.querySelector('tr[data-service="AmazonS3"]')?.dataset.rate === '0.88');
  await page.selectOption('#workspace', { label: 'Acme' });
  assert.equal(await s3Rate(), 0.5);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Acme' }).click()]);
  const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(exported.name, 'Acme');
  assert.equal(exported.discounts.AmazonS3, 0.5);

  await page.getByRole('button', { name: 'Delete Acme' }).click();
  await page.getByRole('button', { name: 'Really delete?' }).click();
  assert.deepEqual(await page.locator('#workspace option').allTextContents(), ['Default']);
  await page.locator('#workspace-import').setInputFiles(await download.path());
  await page.waitForFunction(() => document.querySelectorAll('#workspace option').length === 2);
  assert.equal(await s3Rate(), 0.5, 'the imported workspace is in use');

  // Saved: a reload brings both back.
  await page.reload();
  await page.getByTestId('status').waitFor();
  assert.deepEqual(await page.locator('#workspace option').allTextContents(), ['Default', 'Acme']);
});

test('a tag, read on demand, groups and filters as DuckDB does', async () => {
  const page = await explorer();
  const costs = page.costs.totals.undiscounted;
  const picker = page.locator('#detail');
  // The demo's tags come from their columns' names; the resource ids too.
  await page.waitForFunction(() => [...document.querySelectorAll('#detail option')].some((o) => o.value === 'tag:team'));
  const offered = await picker.locator('option').evaluateAll((os) => os.map((o) => o.value));
  for (const wanted of ['resource', 'tag:team', 'tag:environment', 'tag:cost_center']) assert.ok(offered.includes(wanted), `${wanted} in ${offered}`);

  await picker.selectOption('tag:team');
  await page.waitForFunction(() => document.querySelector('#group-by').value === 'detail');
  await page.getByTestId('explore-table').waitFor();
  assert.match(page.url(), /on=tag%3Ateam/);
  assert.equal(await page.getByTestId('explore-table').locator('thead th').first().textContent(), 'Tag team');
  const byTeam = Object.fromEntries((await groups(page)).map((g) => [g.key, g.cost]));
  const want = Object.fromEntries(duckdb("SELECT resource_tags_user_team, 'USD', SUM(line_item_unblended_cost) FROM 'cur/**/*.parquet' WHERE line_item_line_item_type = 'Usage' GROUP BY 1").map(([k, , v]) => [k === 'None' ? '' : k, v])); // a null tag is no tag
  assert.deepEqual(Object.keys(byTeam).sort(), Object.keys(want).sort());
  for (const [key, cost] of Object.entries(want)) assert.ok(close(byTeam[key], cost), `${key}: ${byTeam[key]} vs DuckDB ${cost}`);
  assert.ok(close(await exploreTotal(page), costs), 'every row is in one team group');
  // Rows without the tag are an explicit group.
  assert.equal(await page.locator('[data-testid=explore-table] tbody tr[data-key=""] th').textContent(), '(untagged)');

  // Drill into a team: its services, the tag kept as a filter.
  const team = Object.keys(want).find((k) => k !== '');
  await page.getByTestId('explore-table').getByRole('button', { name: team, exact: true }).click();
  assert.equal(await page.locator('#group-by').inputValue(), 'service');
  assert.equal(await page.getByTestId('crumb').first().textContent(), `Tag team: ${team}×`);
  assert.ok(close(await exploreTotal(page), want[team]));

  // Resources: the largest first, and DuckDB's figure for the top one.
  await picker.selectOption('resource');
  await page.waitForFunction(() => document.querySelector('[data-testid=explore-table] thead th')?.textContent === 'Resource');
  const [top] = await groups(page);
  const [[, , cost]] = duckdb(`SELECT line_item_resource_id, 'USD', SUM(line_item_unblended_cost) AS c FROM 'cur/**/*.parquet' WHERE line_item_line_item_type = 'Usage' GROUP BY 1 ORDER BY c DESC LIMIT 1`);
  assert.ok(close(top.cost, cost), `${top.key}: ${top.cost} vs ${cost}`);

  // Back to no tag: the explorer's own cube, by service.
  await picker.selectOption('');
  await page.waitForFunction(() => document.querySelector('#group-by').value === 'service');
  assert.ok(close(await exploreTotal(page), costs));
  assert.deepEqual(page.seen.errors, []);
});

test('month over month on one month compares nothing: no service is "new" against a month the files do not hold', async () => {
  const page = await openApp(browser, server.url);
  assert.equal(await upload(page, [MONTHS[2]]), 'done');
  await page.getByRole('tab', { name: 'Explorer' }).click();
  await page.getByTestId('explore-table').waitFor({ timeout: 60_000 });
  const trend = page.getByTestId('trend');
  assert.equal(await trend.locator('summary').textContent(),
    "Month over month: the files hold no month before 2024-03; add the previous month's files to compare");
  assert.equal(await page.locator('[data-testid=trend-table] tbody tr').count(), 0);
  // The demo's March stops on the 28th: a few days short is a whole month.
  assert.equal(await page.locator('[data-testid=coverage] li[data-partial=true]').count(), 0);
  assert.deepEqual(page.seen.errors, []);
});

test('two groupings at once: each account broken down by region, as DuckDB sums them, and swapped', async () => {
  const page = await explorer();
  await page.selectOption('#group-by', 'account');
  await page.selectOption('#then-by', 'region');
  const table = page.getByTestId('breakdown-table');
  await table.waitFor();
  const rows = await page.$$eval('[data-testid=breakdown-table] tbody tr', (trs) => trs.map((tr) => [...tr.dataset.keys.split('\u001f'), Number(tr.dataset.cost)]));
  const want = duckdb("SELECT line_item_usage_account_id || '|' || product_region, 'USD', SUM(line_item_unblended_cost) FROM 'cur/**/*.parquet' WHERE line_item_line_item_type = 'Usage' GROUP BY 1");
  assert.equal(rows.length, want.length);
  const byKey = Object.fromEntries(want.map(([key, , cost]) => [key, cost]));
  for (const [account, region, cost] of rows) assert.ok(close(cost, byKey[`${account}|${region}`]), `${account} ${region}: ${cost}`);
  assert.ok(close(rows.reduce((sum, r) => sum + r[2], 0), await exploreTotal(page)), 'the combinations add up to the total');
  assert.match(new URL(page.url()).search, /then=region/);
  // Grouping by the second grouping swaps them.
  await page.selectOption('#group-by', 'region');
  assert.equal(await page.locator('#then-by').inputValue(), 'account');
  assert.deepEqual(page.seen.errors, []);
});

test('month over month: each group against the month before, as DuckDB sums them', async () => {
  const page = await explorer();
  const trend = page.getByTestId('trend');
  assert.equal(await trend.locator('summary').textContent(), 'Month over month: 2024-03 against 2024-02');
  await trend.locator('summary').click();
  const read = () => page.$$eval('[data-testid=trend-table] tbody tr', (rows) => Object.fromEntries(rows.map((r) => [r.dataset.key, { previous: Number(r.dataset.previous), current: Number(r.dataset.current), change: Number(r.dataset.change) }])));
  const monthly = {};
  for (const [service, month, cost] of duckdb("SELECT product_servicecode, strftime(line_item_usage_start_date, '%Y-%m'), SUM(line_item_unblended_cost) FROM 'cur/**/*.parquet' WHERE line_item_line_item_type = 'Usage' GROUP BY 1, 2")) {
    (monthly[service] ??= {})[month] = cost;
  }
  const check = async (month, previous) => {
    const rows = await read();
    for (const [service, months] of Object.entries(monthly)) {
      const row = rows[service === 'None' ? '' : service];
      assert.ok(row, `${service} in ${Object.keys(rows)}`);
      assert.ok(close(row.current, months[month] ?? 0) && close(row.previous, months[previous] ?? 0), `${service} ${month}: ${JSON.stringify(row)} vs ${JSON.stringify(months)}`);
      assert.ok(close(row.change, row.current - row.previous));
    }
    const changes = Object.values(rows).map((r) => Math.abs(r.change));
    assert.ok(changes.every((c, i) => i === 0 || changes[i - 1] >= c), 'the largest change first');
  };
  await check('2024-03', '2024-02');
  await page.selectOption('#trend-month', '2024-02');
  await page.waitForFunction(() => document.querySelector('[data-testid=trend] summary').textContent.includes('2024-02 against 2024-01'));
  await check('2024-02', '2024-01');
  assert.deepEqual(page.seen.errors, []);
});

test('account names: imported per workspace, validated whole, shown beside the ids', async () => {
  const page = await explorer();
  await page.getByText('Manage workspaces').click();
  const dir = await mkdtemp(join(tmpdir(), 'ducks-names-'));
  const bad = join(dir, 'bad.csv');
  await writeFile(bad, 'account_id,account_name\n100000000000,production\n100000000000,staging\n');
  await page.locator('#account-names-import').setInputFiles(bad);
  await page.getByText(/names account 100000000000 "staging", but an earlier one names it "production"/).waitFor();
  assert.match(await page.getByTestId('account-names').textContent(), /No account names in this workspace/);

  const good = join(dir, 'accounts.csv');
  await writeFile(good, 'Account ID,Account Name\n100000000000,production\n100000015838,data lake\n');
  await page.locator('#account-names-import').setInputFiles(good);
  await page.getByText('Imported 2 account names from accounts.csv.').waitFor();
  await page.selectOption('#group-by', 'account');
  await page.locator('[data-testid=explore-table] tbody tr[data-key="100000000000"]').waitFor();
  assert.equal(await page.locator('[data-testid=explore-table] tbody tr[data-key="100000000000"] th').textContent(), 'production (100000000000)');
  assert.equal(await page.locator('[data-testid=explore-table] tbody tr[data-key="100000063352"] th').textContent(), '100000063352', 'an account without a name keeps its id');
  // The account filter answers to the name.
  const box = page.getByRole('combobox', { name: 'Filter accounts' });
  await box.focus();
  await page.keyboard.type('data lake');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.getByTestId('crumb').first().waitFor();
  assert.equal(await page.getByTestId('crumb').first().textContent(), 'Account: data lake (100000015838)×');
  // Saved with the workspace.
  await page.reload();
  await page.getByTestId('status').waitFor();
  await page.getByText('Manage workspaces').click();
  assert.match(await page.getByTestId('account-names').textContent(), /2 account names in this workspace/);
  assert.deepEqual(page.seen.errors, []);
});

test('a big bill: by team, by account and day, and the top of 315,000 resources, each the CLI\'s groups', async () => {
  // A bill shaped like an organisation's (gen_cur --fleet): resources with fixed
  // accounts, regions, services and tags, the team mostly following the account.
  const generator = process.env.DUCKS_GEN ?? join(ROOT, 'target', 'debug', 'examples', 'gen_cur');
  const dir = await mkdtemp(join(tmpdir(), 'ducks-big-'));
  execFileSync(generator, ['--rows', '450000', '--months', '1', '--fleet', '380000', '--accounts', '60', dir]);
  const file = join(dir, 'cur-2024-01.parquet');
  const cli = (...args) => JSON.parse(execFileSync(DUCKS, ['group', '--json', ...args, file], { encoding: 'utf8', maxBuffer: 1 << 28 }));
  const asCli = (rows) => Object.fromEntries(rows.map((g) => [Object.values(g.keys).map((k) => k ?? '').join(' | '), g.cost]));
  const same = (got, want, what) => {
    assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort(), what);
    for (const [key, cost] of Object.entries(want)) assert.ok(close(got[key], cost), `${what} ${key}: ${got[key]} vs the CLI's ${cost}`);
  };
  const header = (text) => page.waitForFunction((text) => document.querySelector('[data-testid=explore-table] thead th')?.textContent === text, text, { timeout: 120_000 });

  const page = await openApp(browser, server.url);
  await page.locator('input#file-input[type=file][multiple]').setInputFiles([file]);
  assert.equal(await settled(page, 120_000), 'done');
  await page.getByRole('tab', { name: 'Explorer' }).click();
  await page.getByTestId('explore-table').waitFor({ timeout: 120_000 });

  // By team: read on demand, never refused.
  await page.waitForFunction(() => [...document.querySelectorAll('#detail option')].some((o) => o.value === 'tag:team'), null, { timeout: 120_000 });
  await page.locator('#detail').selectOption('tag:team');
  await header('Tag team');
  same(Object.fromEntries((await groups(page)).map((g) => [g.key, g.cost])), asCli(cli('--by', 'tag:team').groups), 'by team');

  // By account, then by day: 60 accounts x 28 days, read by day.
  await page.locator('#detail').selectOption('');
  await page.selectOption('#group-by', 'account');
  await header('Account');
  await page.selectOption('#then-by', 'day');
  await page.getByTestId('breakdown-table').waitFor({ timeout: 120_000 });
  const pairs = await page.$$eval('[data-testid=breakdown-table] tbody tr[data-keys]', (rows) => rows.map((r) => [r.dataset.keys.split('\u001f').join(' | '), Number(r.dataset.cost)]));
  const byAccountDay = asCli(cli('--by', 'account,day').groups);
  assert.ok(pairs.length > 1000, `${pairs.length} account-day pairs shown`);
  for (const [key, cost] of pairs) assert.ok(close(cost, byAccountDay[key]), `${key}: ${cost} vs the CLI's ${byAccountDay[key]}`);
  await page.selectOption('#then-by', '');

  // The resources: the largest 2,000 shown, the rest counted, the total of them all.
  await page.locator('#detail').selectOption('resource');
  await header('Resource');
  const resources = cli('--by', 'resource', '--top', '2000');
  const shown = await groups(page);
  assert.equal(shown.length, 2000);
  same(Object.fromEntries(shown.map((g) => [g.key, g.cost])), asCli(resources.groups), 'the top resources');
  assert.ok(close(await exploreTotal(page), resources.total), 'the total is of every resource');
  assert.equal(await page.getByTestId('explore-table-more').textContent(),
    `Showing the first 2000 groups; ${resources.left_out.toLocaleString('en-US')} more are in the exports (or narrow the view with a filter).`);
  assert.deepEqual(page.seen.errors, []);
});

test('more resources than a page holds: the workers answer, with the largest shown, the rest as Other, and a search among them all', async () => {
  // 1.1M resources, every line item type counted: over the page's million groups.
  const generator = process.env.DUCKS_GEN ?? join(ROOT, 'target', 'debug', 'examples', 'gen_cur');
  const dir = await mkdtemp(join(tmpdir(), 'ducks-bigger-'));
  execFileSync(generator, ['--rows', '1150000', '--months', '1', '--fleet', '1100000', '--accounts', '40', dir]);
  const file = join(dir, 'cur-2024-01.parquet');
  const sql = (query) => JSON.parse(execFileSync('python3', ['-c', 'import duckdb, json, sys; print(json.dumps(duckdb.sql(sys.argv[1]).fetchall()))', query.replace('FILE', `'${file}'`)], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  const page = await openApp(browser, server.url, { acceptDownloads: true });
  await page.locator('input#file-input[type=file][multiple]').setInputFiles([file]);
  assert.equal(await settled(page, 120_000), 'done');
  await page.getByRole('tab', { name: 'Explorer' }).click();
  await page.getByTestId('explore-table').waitFor({ timeout: 120_000 });
  await page.selectOption('#usage-preset', 'all');
  await page.waitForFunction(() => [...document.querySelectorAll('#detail option')].some((o) => o.value === 'resource'), null, { timeout: 120_000 });
  await page.locator('#detail').selectOption('resource');
  await page.getByTestId('in-parts').waitFor({ timeout: 240_000 });

  const [[count, total]] = sql('SELECT count(DISTINCT line_item_resource_id), sum(line_item_unblended_cost) FROM FILE');
  assert.ok(count > 1_000_000, `${count} resources`);
  const top = sql('SELECT line_item_resource_id, sum(line_item_unblended_cost) c FROM FILE GROUP BY 1 ORDER BY c DESC LIMIT 20');
  const shown = await groups(page);
  assert.equal(shown.length, 2000);
  for (const [i, [key, cost]] of top.entries()) {
    assert.equal(shown[i].key, key, `resource ${i + 1}`);
    assert.ok(close(shown[i].cost, cost), `${key}: ${shown[i].cost} vs DuckDB ${cost}`);
  }
  assert.ok(close(await exploreTotal(page), total), 'the total is of every resource');
  // The Other row makes the shown rows add up to the total.
  const other = Number(await page.locator('[data-testid=explore-table] tfoot tr[data-other]').getAttribute('data-cost'));
  assert.ok(close(shown.reduce((sum, g) => sum + g.cost, 0) + other, total));
  assert.equal(await page.getByTestId('explore-table-more').textContent(),
    `Showing the largest 2,000 of ${count.toLocaleString('en-US')} groups; the other ${(count - 2000).toLocaleString('en-US')} are the Other row. Search finds any of them.`);

  // Every group, downloaded: one row each, adding up to the total.
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 240_000 }), page.getByTestId('in-parts-export').click()]);
  const csv = (await readFile(await download.path(), 'utf8')).split('\r\n').filter((line) => line && !line.startsWith('#'));
  assert.equal(csv[0], 'Resource,Cost,Currency,Rows');
  assert.equal(csv.length - 1, count, 'a row per resource');
  assert.ok(close(csv.slice(1).reduce((sum, line) => sum + Number(line.split(',').at(-3)), 0), total), 'the rows add up to the total');

  // A search among all of them, answered by the workers: a small resource far from the top.
  const [[needle, cost]] = sql("SELECT line_item_resource_id, sum(line_item_unblended_cost) FROM FILE WHERE line_item_resource_id LIKE '%resource/1099999' GROUP BY 1");
  await page.locator('#in-parts-search').fill('resource/1099999');
  await page.locator('#in-parts-search').press('Enter');
  await page.waitForFunction((needle) => document.querySelector('[data-testid=explore-table] tbody tr')?.dataset.key === needle, needle, { timeout: 120_000 });
  const found = await groups(page);
  assert.equal(found.length, 1);
  assert.ok(close(found[0].cost, cost), `${needle}: ${found[0].cost} vs DuckDB ${cost}`);
  assert.match(await page.getByTestId('explore-table').locator('caption').textContent(), /^1 group holding “resource\/1099999”/);
  assert.deepEqual(page.seen.errors, []);
});

test('a link to a tag the files do not have says so, naming the tags they have', async () => {
  const page = await openApp(browser, `${server.url}?tab=explore&by=detail&on=tag%3Aowner`);
  assert.equal(await upload(page, MONTHS), 'done');
  const alert = page.locator('[data-testid=detail-status][role=alert]');
  await alert.waitFor({ timeout: 60_000 });
  assert.equal(await alert.textContent(),
    'The files have no tag "owner"; the ones they have: cost_center, environment, team.');
  assert.deepEqual(page.seen.errors, []);
});
