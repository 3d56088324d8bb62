/**
 * The browser harness: a local stack as `npm start` runs it (its own moto server, the profile's
 * resources, the front serving the API and the pages), Chromium from the system's packages
 * driven by playwright-core, axe-core injected into each page, and screenshots for the README.
 */
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axe from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { ROOT } from '../../local/state';
import { startTestStack, type TestStack } from '../integration/harness';

/** The Chromium the CI installs with apt-get (`.ci/run`). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/**
 * Where screenshots go: a temporary directory on every test run (each run's dates and ids differ,
 * so writing the README's copies would leave the checkout changed), docs/screenshots when
 * `npm run screenshots` asks for the README's.
 */
export const SCREENSHOTS = process.env.SCREENSHOTS_DIR
  ? join(ROOT, process.env.SCREENSHOTS_DIR)
  : join(tmpdir(), 'privacy-screenshots');
/** A phone-sized screen (CSS pixels): the pages are laid out for it first. */
export const PHONE = { width: 390, height: 844 } as const;

/** A running stack and browser for one test file. */
export interface BrowserStack {
  readonly stack: TestStack;
  readonly browser: Browser;
  /** Console messages of every page opened through {@link BrowserStack.context}. */
  readonly consoleLines: string[];
  /** A fresh browser context (own session storage) at a phone's size, in `locale`. */
  context(locale: 'ko-KR' | 'en-US'): Promise<BrowserContext>;
  stop(): Promise<void>;
}

/** Starts a stack for `profile` and Chromium. */
export async function startBrowserStack(profile: string): Promise<BrowserStack> {
  const stack = await startTestStack(profile);
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    });
  } catch (error) {
    await stack.stop();
    throw error;
  }
  const consoleLines: string[] = [];
  return {
    stack,
    browser,
    consoleLines,
    async context(locale) {
      const context = await browser.newContext({
        viewport: PHONE,
        deviceScaleFactor: 1,
        isMobile: true,
        hasTouch: true,
        locale,
        acceptDownloads: true,
      });
      context.on('page', (page) => {
        page.on('console', (message) => consoleLines.push(message.text()));
        page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`));
      });
      return context;
    },
    async stop() {
      await browser.close().catch(() => undefined);
      await stack.stop();
    },
  };
}

/** The axe-core violations of `page` that are serious or critical, as "rule: target" lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // The pages' CSP refuses inline scripts, so page.addScriptTag({ content }) is blocked (as it
  // should be); the DevTools protocol's evaluate is not a page script and is let through.
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(axe.source);
  const result = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] })`,
  )) as axe.AxeResults;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')}`));
}

/** Asserts axe finds no serious or critical violation; returns how many rules it checked as passing. */
export async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousViolations(page)).toEqual([]);
}

/**
 * Asserts no text on the page is an object printed as a string: the API sends every catalogue
 * text as `{ko, en}`, and a page that shows one as it came reads "[object Object]".
 */
export async function expectNoRawObjects(page: Page): Promise<void> {
  const text = (await page.evaluate('document.body.innerText')) as string;
  expect(text).not.toContain('[object Object]');
  expect(text).not.toMatch(/\{"ko":/);
}

/** Asserts the page fits a phone's width: nothing wider than the screen, no sideways scrolling. */
export async function expectFitsPhone(page: Page): Promise<void> {
  const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
  expect(width).toBeLessThanOrEqual(PHONE.width);
}

/** Saves a screenshot of the whole page as <name>.png in {@link SCREENSHOTS}. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Signs in through the local issuer's sign-in page, as a person would: the page's sign-in button,
 * the account name, the method, and back to the page.
 */
export async function signInThroughPage(
  page: Page,
  options: { account: string; method: string; officer?: boolean },
): Promise<void> {
  await page.locator('#account').fill(options.account);
  await page.locator(`#method-${options.method}`).check();
  const officer = page.locator('#officer');
  if ((await officer.isChecked()) !== Boolean(options.officer))
    await officer.setChecked(Boolean(options.officer));
  await page.locator('button[type=submit]').click();
}
