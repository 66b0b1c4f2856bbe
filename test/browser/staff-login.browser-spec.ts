import type { Browser, Page } from 'playwright-core';
import { axeViolations, contentWidth, launchBrowser, watchForProblems } from '../support/browser';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';

describe('Staff logging in and out in Chromium', () => {
  let env: PortalWithStaff;
  let browser: Browser;

  beforeAll(async () => {
    env = await startPortalWithStaff();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  /** No WCAG 2.1 A/AA violation and no sideways scrolling, on a phone and a desktop, light and dark. */
  async function expectAccessible(page: Page): Promise<void> {
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        expect({ width, colorScheme, violations: await axeViolations(page) }).toEqual({
          width,
          colorScheme,
          violations: [],
        });
      }
      expect(await contentWidth(page)).toBeLessThanOrEqual(width);
    }
  }

  it('takes the officer from a staff page through the staff login to the landing page and out again', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 800 }, locale: 'nb-NO' });
    const problems = watchForProblems(page);
    await page.goto(`${env.t.url}/saksbehandler`);

    await page.waitForURL(`${env.idporten.issuer}/**`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Logg inn som ansatt (test)',
    );
    await expectAccessible(page);
    await page.getByLabel('Siri Saksbehandler').check();
    await page.getByRole('button', { name: 'Logg inn' }).click();

    await page.waitForURL(`${env.t.url}/saksbehandler`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Saksbehandler',
    );
    await expect(page.getByTestId('staff-name').textContent()).resolves.toBe('Siri Saksbehandler');
    await expect(page.getByTestId('staff-roles').textContent()).resolves.toContain(
      'Saksbehandler økonomi',
    );
    const staffMenu = page.getByRole('navigation', { name: 'Meny for saksbehandlere' });
    await expect(staffMenu.getByRole('link', { name: 'Regelverk' }).count()).resolves.toBe(1);
    await expectAccessible(page);

    await staffMenu.getByRole('button', { name: 'Logg ut' }).click();
    await page.waitForURL(`${env.t.url}/saksbehandler/logget-ut**`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Du er logget ut',
    );
    await expectAccessible(page);
    await page.goto(`${env.t.url}/saksbehandler`);
    await page.waitForURL(`${env.idporten.issuer}/**`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('explains a missing choice on the staff login page, accessibly', async () => {
    const page = await browser.newPage({ locale: 'nb-NO' });
    await page.goto(`${env.t.url}/saksbehandler/logg-inn`);
    await page.waitForURL(`${env.idporten.issuer}/**`);
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Velg en testansatt');
    await expectAccessible(page);
    await page.close();
  });
});
