// The page in Firefox ESR and WebKit (WebKitGTK's MiniBrowser), over WebDriver:
// costs from real files against the command line, the explorer's total, a bad
// file, Cancel, no request after load, and the Content-Security-Policy. Where
// an engine is not installed the tests skip with the reason, unless CI is set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, DEMO, serve, cliReport, close, scratch } from './support.mjs';
import { ENGINES, missing, start } from './webdriver.mjs';

const REAL = process.env.DUCKS_REAL_CUR ?? join(ROOT, '..', 'shared', 'real-cur');
const WAL = ['10', '11', '12'].map((m) => {
  const name = { 10: 'Oct', 11: 'Nov', 12: 'Dec' }[m];
  return join(REAL, `cur-legacy-wal/WorkshopCUR/year=2018/month=${m}/${name}2018-WorkshopCUR-00001.snappy.parquet`);
});
const DEMO_MONTHS = ['cur-2024-01.parquet', 'cur-2024-02.parquet', 'cur-2024-03.parquet'].map((name) => join(DEMO, name));

let server;
before(async () => { server = await serve(); });
after(async () => { await server?.close(); });

const state = () => document.querySelector('[data-testid=status]')?.dataset.state;

/** Opens the page and waits for it to be mounted. */
async function open(session) {
  await session.goto(server.url);
  await session.until('return document.querySelector("[data-testid=status]") !== null');
}

/** Chooses `paths` through the file input and waits for the outcome. */
async function upload(session, paths) {
  await session.chooseFiles('#file-input', paths);
  return session.until(`const s = (${state})(); return s === 'done' || s === 'error' ? s : null;`, 120_000);
}

const totals = (session) => session.run(`const t = document.querySelector('[data-testid=totals]').dataset;
  return { undiscounted: Number(t.undiscounted), discounted: Number(t.discounted), blendedRate: Number(t.blendedRate) };`);

for (const engine of Object.keys(ENGINES)) {
  test(`${engine}: real files give the command line's figures, the explorer its total, and nothing is fetched`, async (t) => {
    const why = missing(engine) ?? (existsSync(WAL[0]) ? null : `${WAL[0]} is missing (set DUCKS_REAL_CUR)`);
    if (why) {
      assert.ok(!process.env.CI, `${engine}: ${why}; CI is set, so this is a failure, not a skip`);
      t.skip(why);
      return;
    }
    const session = await start(engine);
    try {
      await open(session);
      // Loading ends when the workers have fetched their scripts: wait until the page has asked for nothing new for a second.
      let loaded = -1;
      for (let now; (now = await session.run("return performance.getEntriesByType('resource').length")) !== loaded;) {
        loaded = now;
        await new Promise((ok) => setTimeout(ok, 1000));
      }
      assert.equal(await upload(session, WAL), 'done');
      const expected = cliReport(WAL);
      const shown = await totals(session);
      assert.ok(close(shown.undiscounted, expected.total.undiscounted), `${shown.undiscounted} vs ${expected.total.undiscounted}`);
      // A new visitor's workspace has no discounts (the command line uses the example table).
      assert.ok(close(shown.discounted, shown.undiscounted), `${shown.discounted} vs ${shown.undiscounted}`);
      assert.ok(close(shown.blendedRate, 1));
      const rows = await session.run(`return [...document.querySelectorAll('[data-testid=costs-table] tbody tr')]
        .map((r) => [r.dataset.service, Number(r.dataset.undiscounted)]);`);
      // Every service with the CLI's figure (services of equal cost may come in either order).
      assert.deepEqual(rows.map((r) => r[0]).sort(), expected.services.map((s) => s.service).sort());
      const want = Object.fromEntries(expected.services.map((s) => [s.service, s.undiscounted]));
      for (const [service, cost] of rows) assert.ok(close(cost, want[service]), `${service}: ${cost} vs ${want[service]}`);
      assert.ok(rows.every((r, i) => i === 0 || rows[i - 1][1] >= r[1]), 'highest cost first');
      // Amounts in the browser's own formatting: dollars, to the cent.
      assert.match(await session.run("return document.querySelector('[data-testid=totals]').textContent"), /\$[\d,]+\.\d\d/);

      await session.click('#tab-explore');
      const explored = await session.until("const t = document.querySelector('[data-testid=explore-table]'); return t && t.dataset.total;", 120_000);
      assert.ok(close(Number(explored), expected.total.undiscounted), `explorer ${explored}`);
      const requests = await session.run("return performance.getEntriesByType('resource').map((e) => e.name)");
      assert.equal(requests.length, loaded, `no request after load: ${requests.join(', ')}`);
    } finally {
      await session.close();
    }
  });

  test(`${engine}: a bad file is named, Cancel stops, and the policy blocks other origins`, async (t) => {
    const why = missing(engine);
    if (why) {
      assert.ok(!process.env.CI, `${engine}: ${why}; CI is set, so this is a failure, not a skip`);
      t.skip(why);
      return;
    }
    const dir = await scratch();
    const bad = join(dir, 'export.parquet');
    await writeFile(bad, 'identity/LineItemId,lineItem/UnblendedCost\nabc,1.0\n');
    const session = await start(engine);
    try {
      await open(session);
      assert.equal(await upload(session, [bad]), 'error');
      const problems = await session.run("return [...document.querySelectorAll('[data-testid=file-errors] li')].map((li) => li.textContent)");
      assert.equal(problems.length, 1);
      assert.match(problems[0], /^export\.parquet: This file is not Parquet: it is CSV text/);

      // Cancel while the demo months are read: the page is idle again, with no figures half-shown.
      await session.chooseFiles('#file-input', DEMO_MONTHS);
      const clicked = await session.run(`const b = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Cancel');
        if (b) b.click(); return Boolean(b);`);
      const after = await session.until(`const s = (${state})(); return s && s !== 'loading' ? s : null;`);
      // Where the click came while reading, the page is idle; a read that had already ended shows its figures.
      assert.equal(after, clicked ? 'idle' : 'done');
      // And the page still reads files afterwards.
      assert.equal(await upload(session, DEMO_MONTHS), 'done');
      assert.ok(close((await totals(session)).undiscounted, cliReport(DEMO_MONTHS).total.undiscounted));

      const policy = await session.run(`return document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? ''`);
      assert.match(policy, /connect-src 'self'/);
      const blocked = await session.command('POST', '/execute/async', {
        script: `const done = arguments[arguments.length - 1];
          document.addEventListener('securitypolicyviolation', (e) => done(e.violatedDirective), { once: true });
          fetch('https://example.com/upload', { method: 'POST', body: 'x' }).catch(() => {});
          setTimeout(() => done('no violation'), 5000);`,
        args: [],
      });
      assert.match(blocked, /connect-src/);
    } finally {
      await session.close();
    }
  });
}
