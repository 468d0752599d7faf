// People first: an axe-core audit of every view with zero violations, in light
// and dark, keyboard-only use, and a 375 px wide screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DEMO, serve, launch, openApp, upload, tableRows } from './support.mjs';

const MONTHS = ['cur-2024-01.parquet', 'cur-2024-02.parquet', 'cur-2024-03.parquet'].map((name) => join(DEMO, name));
const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let server, browser;

before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** The axe violations of the page as it is now, as readable lines. */
async function audit(page) {
  // The page's policy forbids injected scripts; the audit context bypasses it.
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary.split('\n')[1] ?? ''}`));
}

for (const colorScheme of ['light', 'dark']) {
  test(`no axe violations in any view (${colorScheme})`, async () => {
    const page = await openApp(browser, server.url, { colorScheme, bypassCSP: true });
    assert.deepEqual(await audit(page), [], 'home');
    assert.equal(await upload(page, MONTHS), 'done');
    await page.getByText('Discount multipliers').click();
    await page.getByRole('combobox', { name: 'Service' }).fill('s3');
    assert.deepEqual(await audit(page), [], 'costs');
    await page.getByRole('combobox', { name: 'Service' }).press('Escape');
    await page.getByRole('tab', { name: 'Explorer' }).click();
    await page.getByTestId('explore-table').waitFor({ timeout: 60_000 });
    await page.getByText('SQL for these figures').click();
    assert.deepEqual(await audit(page), [], 'explorer');
    await page.getByRole('tab', { name: 'Commitments' }).click();
    await page.getByTestId('commitments-table').waitFor({ timeout: 60_000 });
    assert.deepEqual(await audit(page), [], 'commitments');
    await page.getByRole('tab', { name: 'Diagnostics' }).click();
    await page.getByText('Manage workspaces').click();
    await page.getByText('Line item types', { exact: true }).click();
    assert.deepEqual(await audit(page), [], 'diagnostics and settings');
  });
}

test('everything can be done with the keyboard alone', async () => {
  const page = await openApp(browser, server.url);
  // Reach the file input by tabbing, as a keyboard user would.
  let reached = false;
  for (let i = 0; i < 10 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.id === 'file-input');
  }
  assert.ok(reached, 'the file input is in the tab order');
  assert.equal(await upload(page, MONTHS), 'done');

  // Tabs: arrow keys move between them.
  await page.getByRole('tab', { name: 'Costs' }).focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Explorer');
  assert.equal(await page.getByRole('tab', { name: 'Explorer' }).getAttribute('aria-selected'), 'true');
  await page.keyboard.press('ArrowLeft');

  // Sort the table from the keyboard.
  const header = page.getByRole('button', { name: /^Service/ });
  await header.focus();
  await page.keyboard.press('Enter');
  const names = (await tableRows(page)).map((r) => r.service);
  assert.deepEqual(names, [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));

  // Every control has a visible focus: nothing focusable is hidden from the tab order by accident.
  const unreachable = await page.evaluate(() => [...document.querySelectorAll('button, input, select, summary, a[href]')]
    .filter((el) => el.tabIndex < 0 && !el.closest('[hidden]') && el.getAttribute('aria-hidden') !== 'true' && el.getAttribute('role') !== 'tab')
    .map((el) => el.outerHTML.slice(0, 80)));
  assert.deepEqual(unreachable, []);
});

test('the explorer works from the keyboard alone', async () => {
  const page = await openApp(browser, server.url);
  assert.equal(await upload(page, MONTHS), 'done');
  await page.getByRole('tab', { name: 'Costs' }).focus();
  await page.keyboard.press('ArrowRight');
  const table = page.getByTestId('explore-table');
  await table.waitFor({ timeout: 60_000 });
  const total = async () => Number(await table.getAttribute('data-total'));
  const all = await total();

  // The grouping is a select: the arrow keys change it, and the view follows.
  const groupBy = page.locator('#group-by');
  await groupBy.focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await groupBy.inputValue(), 'account');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('by') === 'account');
  await page.keyboard.press('ArrowUp');
  assert.equal(await groupBy.inputValue(), 'service');

  // Drill into a service with Enter, then back out through the trail.
  await table.getByRole('button', { name: 'AmazonS3', exact: true }).focus();
  await page.keyboard.press('Enter');
  assert.equal(await groupBy.inputValue(), 'usage-type');
  assert.equal(await page.getByTestId('crumb').count(), 1);
  assert.ok((await total()) < all);
  await page.getByRole('button', { name: 'All costs' }).focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.getByTestId('crumb').count(), 0);
  assert.equal(await total(), all);
  assert.equal(await groupBy.inputValue(), 'service', 'All costs resets the grouping too');

  // Exports are buttons and a disclosure: Space opens the SQL.
  await page.getByText('SQL for these figures').focus();
  await page.keyboard.press('Space');
  await page.getByTestId('sql').waitFor();
  assert.deepEqual(page.seen.errors, []);
});

test('a 375 px wide screen needs no sideways scrolling of the page', async () => {
  const page = await openApp(browser, server.url, { viewport: { width: 375, height: 740 } });
  assert.equal(await upload(page, MONTHS), 'done');
  for (const tab of ['Costs', 'Explorer', 'Commitments', 'Diagnostics']) {
    await page.getByRole('tab', { name: tab }).click();
    if (tab === 'Explorer') await page.getByTestId('explore-table').waitFor({ timeout: 60_000 });
    if (tab === 'Commitments') await page.getByTestId('commitments-table').waitFor({ timeout: 60_000 });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `${tab}: the page is ${width} px wide`);
  }
});
