/**
 * A member's whole journey through the privacy center in Chromium, per profile and language:
 * joined (in the service's app, here through the API), signed in through the sign-in page, the
 * data viewed, a bad email refused next to its field, the email corrected with the code from the
 * outbox, the export downloaded, a consent changed, processing restricted and the restriction
 * lifted, an expired session renewed in a popup without losing the typed value, and the
 * withdrawal with its receipt shown, downloaded and verified by the API's verify route. Axe finds
 * no serious or critical violation on any view; nothing personal reaches a URL, the console,
 * localStorage or a cookie.
 */
import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIdToken } from '../../local/issuer';
import { loadCatalogue } from '../../policy/catalogue';
import { call, latestCode } from '../integration/member-api';
import {
  type BrowserStack,
  expectAccessible,
  expectFitsPhone,
  expectNoRawObjects,
  screenshot,
  signInThroughPage,
  startBrowserStack,
} from './browser';

/** How a member of a profile joins and signs in. */
export interface ProfileJourney {
  readonly profile: 'littleone' | 'lgcns';
  /** The sign-in page's method and the account name typed there. */
  readonly method: 'apple' | 'password';
  /** The user pool username the sign-in page creates for `account`. */
  username(account: string): string;
  /** The join body (POST /v1/members) of a member signing in as `account`. */
  join(account: string, name: string, email: string): Record<string, unknown>;
  /** An optional purpose the member can consent to. */
  readonly optionalPurpose: string;
  /** Whether the README shows every view of this profile. */
  readonly screenshots: 'all' | 'some';
}

const WORDS = {
  ko: {
    title: '개인정보 보호 센터',
    confirmed: '정정을 마쳤습니다',
    format: '형식이 올바르지 않습니다.',
    valid: '서명이 올바릅니다',
    lifted: '처리 정지를 해제했습니다',
    session: '로그인이 만료되었습니다',
    corrected: '정정했습니다',
  },
  en: {
    title: 'Privacy center',
    confirmed: 'The correction of',
    format: 'This is not in a valid format.',
    valid: 'The signature is valid',
    lifted: 'The restriction is lifted',
    session: 'Your session has ended',
    corrected: 'Corrected:',
  },
} as const;

const TABS = [
  'overview',
  'consents',
  'records',
  'correct',
  'export',
  'restrict',
  'withdraw',
  'policy',
] as const;

/** Runs the journeys of `journey.profile` in Korean and English. */
export function privacyCenterJourneys(journey: ProfileJourney): void {
  let env: BrowserStack;
  beforeAll(async () => {
    env = await startBrowserStack(journey.profile);
  });
  afterAll(async () => {
    await env?.stop();
  });

  describe.each(['ko', 'en'] as const)(`the privacy center (${journey.profile}, %s)`, (lang) => {
    const words = WORDS[lang];
    const other = lang === 'ko' ? 'en' : 'ko';
    const catalogue = loadCatalogue(journey.profile);
    const account = `E2E-${journey.profile}-${lang}`.toUpperCase();
    const name = lang === 'ko' ? '김하늘' : 'Hana Kim';
    const email = `${journey.profile}-${lang}@example.com`;
    const newEmail = `new-${journey.profile}-${lang}@example.com`;
    const personal = [name, email, newEmail];
    let context: BrowserContext;
    let page: Page;
    const requested: string[] = [];
    const shots: string[] = [];

    const tab = async (id: (typeof TABS)[number]) => {
      await page.locator(`[data-tab=${id}]`).click();
      await expect.poll(() => page.locator(`[data-tab=${id}]`).getAttribute('aria-current')).toBe('page');
    };
    const shoot = async (view: string) => {
      await expectNoRawObjects(page);
      await expectFitsPhone(page);
      if (journey.screenshots === 'all' || ['overview', 'receipt'].includes(view))
        shots.push(await screenshot(page, `privacy-${journey.profile}-${lang}-${view}`));
    };

    beforeAll(async () => {
      // The member joined in the service's app: the privacy center serves members.
      const { sub, token } = await env.stack.account(journey.username(account), {
        method: journey.method === 'apple' ? 'apple' : 'password',
      });
      const joined = await fetch(`${env.stack.baseUrl}/v1/members`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(journey.join(account, name, email)),
      });
      expect(joined.status, await joined.clone().text()).toBe(201);
      expect(sub).toBeTruthy();
      context = await env.context(lang === 'ko' ? 'ko-KR' : 'en-US');
      page = await context.newPage();
      page.on('request', (request) => requested.push(request.url()));
    });
    afterAll(async () => {
      await context?.close();
    });

    it('signs in through the sign-in page and shows everything held, by purpose, with retention', async () => {
      await page.goto(`${env.stack.baseUrl}/privacy`);
      await expect.poll(() => page.locator('h1').textContent()).toBe(words.title);
      await page.locator('#welcome button.primary').click();
      await page.waitForURL(/\/local-issuer\/authorize/);
      await signInThroughPage(page, { account, method: journey.method });
      await page.waitForURL(/\/privacy\?lang=/);
      await expect.poll(() => page.locator('[data-tab=overview]').count()).toBe(1);
      await expect.poll(() => page.locator('#items').textContent()).toContain(name);
      expect(await page.locator('#items').textContent()).toContain(email);
      expect(await page.locator('#by-purpose li').count()).toBeGreaterThan(0);
      expect(await page.locator('#retention li').count()).toBeGreaterThan(0);
      // The catalogue's labels come as {ko, en}: the page shows the reader's language only.
      const emailLabel = catalogue.items.email!.label;
      expect(await page.locator('#items').textContent()).toContain(emailLabel[lang]);
      expect(await page.locator('body').innerText()).not.toContain(emailLabel[other]);
      // Dates in Seoul, in the reader's language.
      expect(await page.locator('#membership').textContent()).toMatch(
        lang === 'ko'
          ? /\d{4}년 \d{1,2}월 \d{1,2}일 \d{2}:\d{2} KST/
          : /\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} KST/,
      );
      await expectAccessible(page);
      await shoot('overview');
    });

    it('shows consents with their history and changes an optional one', async () => {
      await tab('consents');
      const row = page.locator(`[data-purpose="${journey.optionalPurpose}"]`);
      await expect.poll(() => row.count()).toBe(1);
      const purposeLabel = catalogue.purposes[journey.optionalPurpose]!.label;
      expect(await row.locator('h3').textContent()).toBe(purposeLabel[lang]);
      await expectAccessible(page);
      await shoot('consents');
      await row.locator('button').click();
      await expect.poll(() => page.locator('#consents output.notice').count()).toBe(1);
      const consents = await call(env.stack, 'GET', '/v1/me/consents', {
        headers: { authorization: `Bearer ${await tokenOf()}` },
      });
      const decided = consents.json.consents.find(
        (c: { purpose: string }) => c.purpose === journey.optionalPurpose,
      );
      expect(decided.granted).toBe(true);
      expect(decided.history.length).toBe(2);
      await expect.poll(() => row.locator('details li').count()).toBe(2);
    });

    it('shows the access history and provisions', async () => {
      await tab('records');
      await expect.poll(() => page.locator('#access tbody tr').count()).toBeGreaterThan(0);
      await expectAccessible(page);
      await shoot('records');
    });

    it('shows a bad email next to its field, then corrects it with the code from the outbox', async () => {
      await tab('correct');
      const field = page.locator('#correct-email');
      await field.fill('not-an-email');
      await page.locator('#correct form:not(.card) button[type=submit]').click();
      const error = page.locator('#correct-email + .field-error');
      await expect.poll(() => error.textContent()).toBe(words.format);
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      expect(await field.getAttribute('aria-describedby')).toContain('correct-email-error');
      await expectAccessible(page);
      await shoot('correct-error');

      await field.fill(newEmail);
      await page.locator('#correct form:not(.card) button[type=submit]').click();
      await expect.poll(() => page.locator('#correction-code').count()).toBe(1);
      await page.locator('#correction-code').fill(await latestCode(env.stack, newEmail));
      await page.locator('#correct form.card button[type=submit]').click();
      await expect
        .poll(() => page.locator('#correct output.notice').textContent())
        .toContain(words.confirmed);
      await tab('overview');
      await expect.poll(() => page.locator('#items').textContent()).toContain(newEmail);
    });

    it('downloads the export as JSON', async () => {
      await tab('export');
      await expectAccessible(page);
      await shoot('export');
      const downloading = page.waitForEvent('download');
      await page.locator('#export button.primary').click();
      const download = await downloading;
      expect(download.suggestedFilename()).toMatch(/^privacy-export-\d{4}-\d{2}-\d{2}\.json$/);
      const data = JSON.parse(await readFile((await download.path())!, 'utf8'));
      expect(JSON.stringify(data.member.items)).toContain(newEmail);
      expect(data.controller.policyVersion).toBeTruthy();
    });

    it('restricts processing and lifts the restriction', async () => {
      await tab('restrict');
      await expectAccessible(page);
      await shoot('restrict');
      await page
        .locator('#restrict-reason')
        .fill(lang === 'ko' ? '프로필 분석에 반대합니다' : 'I object to profiling');
      await page.locator('#restrict form button[type=submit]').click();
      await expect.poll(() => page.locator('[data-restricted=true]').count()).toBe(1);
      await page.locator('#restrict button.primary').click();
      await expect.poll(() => page.locator('#restrict output.notice').textContent()).toContain(words.lifted);
    });

    it('renews an expired session in a popup and sends what was typed, without losing it', async () => {
      const expired = await expiredToken();
      await page.evaluate(
        `sessionStorage.setItem('privacy.session', ${JSON.stringify(JSON.stringify({ idToken: expired, expiresAt: 0, groups: [] }))})`,
      );
      await tab('correct');
      const nameField = page.locator('#correct-userName, #correct-name').first();
      const typed = lang === 'ko' ? '김바다' : 'Bada Kim';
      await nameField.fill(typed);
      await page.locator('#correct form:not(.card) button[type=submit]').click();
      const dialog = page.locator('dialog.session');
      await expect.poll(() => dialog.getAttribute('open')).toBe('');
      expect(await dialog.locator('h2').textContent()).toBe(words.session);
      expect(await nameField.inputValue()).toBe(typed);
      await expectAccessible(page);
      await shoot('session-expired');
      const opening = page.waitForEvent('popup');
      await dialog.locator('button.primary').click();
      const popup = await opening;
      await popup.waitForURL(/\/local-issuer\/authorize/);
      await signInThroughPage(popup, { account, method: journey.method });
      await popup.waitForEvent('close');
      await expect
        .poll(() => page.locator('#correct output.notice').textContent())
        .toContain(words.corrected);
      await tab('overview');
      await expect.poll(() => page.locator('#items').textContent()).toContain(typed);
      personal.push(typed);
    });

    it('reads the policy', async () => {
      await tab('policy');
      await expect.poll(() => page.locator('article.policy section').count()).toBeGreaterThan(3);
      // The policy in the reader's language, telling where the sign-in token is kept (G14).
      expect(await page.locator('article.policy').innerText()).toContain(
        lang === 'ko' ? '세션 저장소(sessionStorage)에만 보관' : "browser tab's session storage only",
      );
      await expectAccessible(page);
      await shoot('policy');
    });

    it('withdraws, shows the receipt, downloads it and the API verifies it', async () => {
      await tab('withdraw');
      await expectAccessible(page);
      await shoot('withdraw');
      const token = await tokenOf();
      await page.locator('#withdraw-confirm').check();
      await page.locator('#withdraw button.danger').click();
      await expect.poll(() => page.locator('#receipt').count()).toBe(1);
      const downloading = page.waitForEvent('download');
      await page.locator('#receipt button.primary').click();
      const receipt = JSON.parse(await readFile((await (await downloading).path())!, 'utf8'));
      const verified = await call(env.stack, 'POST', '/v1/receipts/verify', { body: receipt });
      expect(verified.json).toEqual({ valid: true });
      await page.locator('#receipt .actions button:not(.primary)').click();
      await expect.poll(() => page.locator('[data-receipt-valid]').textContent()).toContain(words.valid);
      await expectAccessible(page);
      await shoot('receipt');
      const gone = await call(env.stack, 'GET', '/v1/me', { headers: { authorization: `Bearer ${token}` } });
      expect(gone.status).toBe(404);
      // The deleted account's token is dropped; the receipt stays on screen.
      expect(await page.evaluate(`sessionStorage.getItem('privacy.session')`)).toBeNull();
    });

    it('put nothing personal in a URL, the console, localStorage or a cookie, and broke no CSP rule', async () => {
      expect(requested.length).toBeGreaterThan(10);
      for (const url of [...requested, page.url()]) {
        for (const value of personal) {
          expect(decodeURIComponent(url)).not.toContain(value);
          expect(url).not.toContain(encodeURIComponent(value));
        }
      }
      for (const line of env.consoleLines) {
        for (const value of personal) expect(line).not.toContain(value);
        expect(line).not.toMatch(/Content Security Policy|pageerror/);
      }
      expect(await page.evaluate('localStorage.length')).toBe(0);
      expect(await context.cookies()).toEqual([]);
      expect(shots.length).toBeGreaterThan(0);
    });

    /** A token of this member's sign-in, for the checks the test makes through the API. */
    async function tokenOf(): Promise<string> {
      const raw = (await page.evaluate(`sessionStorage.getItem('privacy.session')`)) as string;
      return (JSON.parse(raw) as { idToken: string }).idToken;
    }

    async function expiredToken(): Promise<string> {
      const current = await tokenOf();
      const claims = JSON.parse(Buffer.from(current.split('.')[1]!, 'base64url').toString('utf8'));
      return signIdToken(env.stack.issuerKey, env.stack.stack.front.issuer, claims.sub, {
        method: journey.method === 'apple' ? 'apple' : 'password',
        username: claims['cognito:username'],
        expiresInSeconds: -60,
      });
    }
  });
}
