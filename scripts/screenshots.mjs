// The README's screenshots: the costs page (light) and the explorer's charts
// (dark) on the demo data, taken from the built page in Debian's Chromium.
//
//   trunk build --release && node scripts/screenshots.mjs     (writes docs/*.png)
import { join } from 'node:path';
import { ROOT, serve, launch, openApp, settled } from '../e2e/support.mjs';

const server = await serve();
const browser = await launch();
/** Opens the demo in `colorScheme` and saves the costs page or the explorer as `docs/<name>.png`. */
const shoot = async (colorScheme, view, name) => {
  const page = await openApp(browser, server.url, { viewport: { width: 1200, height: 900 }, colorScheme });
  await page.getByRole('button', { name: 'Try the demo data' }).click();
  if (await settled(page) !== 'done') throw new Error('the demo data did not load');
  if (view === 'explorer') {
    await page.getByRole('tab', { name: 'Explorer' }).click();
    await page.getByTestId('explore-table').waitFor({ timeout: 60_000 });
    await page.locator('#panel-explore svg').first().scrollIntoViewIfNeeded();
  }
  await page.screenshot({ path: join(ROOT, 'docs', `${name}.png`) });
  await page.context().close();
};
await shoot('light', 'costs', 'costs');
await shoot('dark', 'explorer', 'explorer-dark');
await browser.close();
await server.close();
