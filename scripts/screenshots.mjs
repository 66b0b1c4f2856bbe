#!/usr/bin/env node
// Screenshots of the main resident pages for docs/screenshots/, taken from a running demo
// (`npm start` in another terminal) in Debian's Chromium: both demo municipalities, light and dark
// scheme, a 1280 px screen and a 360 px phone. Usage: node scripts/screenshots.mjs [base-port]
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const port = process.argv[2] ?? '3000';
const OUT = 'docs/screenshots';
const MUNICIPALITIES = [
  // Kari lives in Fjordvik; Per in Åsdal (see the test login's list).
  { slug: 'fjordvik', host: `localhost:${port}`, person: 0 },
  { slug: 'asdal', host: `asdal.localhost:${port}`, person: 3 },
];
const VIEWS = [
  { width: 1280, height: 900, scheme: 'light' },
  { width: 1280, height: 900, scheme: 'dark' },
  { width: 360, height: 740, scheme: 'light' },
];

mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-sync'],
});
try {
  for (const m of MUNICIPALITIES) {
    for (const view of VIEWS) {
      const context = await browser.newContext({
        viewport: { width: view.width, height: view.height },
        colorScheme: view.scheme,
        locale: 'nb-NO',
      });
      const page = await context.newPage();
      const shot = (name) =>
        page.screenshot({
          path: `${OUT}/${m.slug}-${name}-${view.width}-${view.scheme}.png`,
          fullPage: true,
        });
      await page.goto(`http://${m.host}/`);
      await shot('home');
      await page.goto(`http://${m.host}/auth/login`);
      await page.locator('input[name=resident]').nth(m.person).check();
      await page.getByRole('button', { name: 'Logg inn' }).click();
      await page.waitForURL(/\/fakturaer$/);
      await shot('invoices');
      // The first open invoice that can still be deferred, else the last one.
      const open = await page
        .locator('section[aria-labelledby="open-heading"] .invoice-card a')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      for (const href of open) {
        await page.goto(`http://${m.host}${href}`);
        if ((await page.locator('#email').count()) > 0) break;
      }
      if ((await page.locator('#email').count()) > 0) {
        // The first view asks for the deferral; the later ones find its case.
        await shot('invoice');
        await page.locator('#email').fill('ikke en adresse');
        await page.locator('form[action$="/utsettelse"] button').click();
        await page.waitForLoadState();
        await shot('deferral-form-error');
        await page.locator('#email').fill('');
        await page.locator('form[action$="/utsettelse"] button').click();
        await page.waitForURL(/\/saker\/UTS-/);
      } else {
        await page.goto(`http://${m.host}/saker`);
        await page.locator('.invoice-card a').first().click();
        await page.waitForURL(/\/saker\/UTS-/);
      }
      await shot('decision');
      await context.close();
      console.log(`${m.slug} ${view.width} ${view.scheme}: done`);
    }
  }
} finally {
  await browser.close();
}
