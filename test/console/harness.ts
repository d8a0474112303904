// One server (with workers), one console build and one Chromium for every console test: the build
// runs once, only when console/dist is missing or older than its sources.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildConsole } from '../../scripts/console-build';
import { ROOT_DIR } from '../../src/paths';
import type { TestContext } from '../helpers/context';
import { staffContext, totpCode, type TestStaff } from '../staff/helpers';

export const ARTIFACTS = path.join(ROOT_DIR, 'test-artifacts');
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

export interface ConsoleHarness {
  t: TestContext;
  browser: Browser;
}

let shared: Promise<ConsoleHarness> | undefined;

export function consoleHarness(): Promise<ConsoleHarness> {
  shared ??= (async () => {
    buildConsole({ ifStale: true, quiet: true });
    await mkdir(ARTIFACTS, { recursive: true });
    const t = await staffContext({}, { workers: true });
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    return { t, browser };
  })();
  return shared;
}

export async function closeConsoleHarness(): Promise<void> {
  if (!shared) return;
  const { t, browser } = await shared;
  shared = undefined;
  await browser.close();
  await t.close();
}

/** A fresh browser profile (no cookies) at the given width; console errors (CSP violations) are collected. */
export async function newPage(h: ConsoleHarness, viewport = DESKTOP): Promise<{ page: Page; problems: string[] }> {
  const context = await h.browser.newContext({ viewport, locale: 'lv-LV' });
  const page = await context.newPage();
  const problems: string[] = [];
  // A failed load is reported with its URL below; the console message repeats it without one.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  // Before signing in, /auth/me answers 401 by design.
  page.on('response', (r) => {
    if (r.status() >= 400 && !(r.status() === 401 && r.url().endsWith('/auth/me'))) problems.push(`${r.status()} ${r.url()}`);
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return { page, problems };
}

export function shot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: path.join(ARTIFACTS, `console-${name}.png`), fullPage: true });
}

/** Signs a staff member in through the sign-in page (with the TOTP step when they have a secret) and waits for the dashboard. */
export async function signIn(page: Page, h: ConsoleHarness, who: TestStaff): Promise<void> {
  await page.goto(`${h.t.baseUrl}/admin`);
  await page.waitForURL(/\/admin\/login$/);
  await page.getByLabel('E-pasta adrese').fill(who.email);
  await page.getByLabel('Parole').fill(who.password);
  await page.getByRole('button', { name: 'Pieslēgties' }).click();
  if (who.totpSecret) {
    await page.locator('#totp-code input').first().click();
    await page.keyboard.type(await freshTotpCode(who.totpSecret));
    await page.getByRole('button', { name: 'Apstiprināt' }).click();
  }
  await page.getByRole('heading', { name: 'Pārskats', level: 2 }).waitFor();
}

const TOTP_STEP_MS = 30_000;
const lastStepUsed = new Map<string, number>();

/** A code the server has not seen yet: it refuses a code used once (replay), so a second sign-in in the same 30 s step waits for the next. */
async function freshTotpCode(secret: string): Promise<string> {
  const step = Math.floor(Date.now() / TOTP_STEP_MS);
  if (lastStepUsed.get(secret) === step) await new Promise((resolve) => setTimeout(resolve, (step + 1) * TOTP_STEP_MS - Date.now() + 250));
  lastStepUsed.set(secret, Math.floor(Date.now() / TOTP_STEP_MS));
  return totpCode(secret);
}
