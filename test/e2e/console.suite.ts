/**
 * The officer console in Chromium against a whole local stack, for one profile: an officer's
 * journey in Korean and in English (an offline request logged, identity verified, acted on, and
 * the access record it wrote shown under a verified hash chain), a member's token refused, every
 * view free of serious or critical axe-core violations, and screenshots for the README.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue, profiles } from '../../policy/catalogue';
import type { Language } from '../../policy/i18n';
import { call } from '../integration/member-api';
import {
  type BrowserStack,
  expectAccessible,
  expectNoRawObjects,
  screenshot,
  signInThroughPage,
  startBrowserStack,
} from './browser';

/** How a member of each profile joins through the API (the console's subject, not its user). */
function joinBody(profile: string, sub: string) {
  if (profile === 'littleone') {
    return {
      token: { method: 'apple' as const, username: `signinwithapple_000${sub}.abc` },
      body: {
        items: {
          userName: `Name of ${sub}`,
          appleMemberNumber: `000${sub}.abc`,
          email: `${sub}@example.com`,
        },
        consents: {
          membership: true,
          'service-delivery': true,
          'abuse-prevention': true,
          statistics: true,
          'new-service-development': false,
          'profile-photos': false,
        },
        ageAffirmation: true,
        policyVersion: '1.0',
      },
    };
  }
  return {
    token: { method: 'password' as const },
    body: {
      items: { name: `Name of ${sub}`, email: `${sub}@example.com` },
      consents: { membership: true, inquiries: true, 'service-history': true },
      ageAffirmation: true,
      policyVersion: '1.0',
    },
  };
}

/** The words the journey checks, per language. */
const WORDS = {
  ko: {
    queue: '권리 행사 요청 대기열',
    intake: '오프라인 요청 접수',
    logged: '요청을 접수했습니다',
    verified: '본인 확인',
    done: '처리했습니다',
    chain: '해시 체인 검증됨',
    refused: '접근할 수 없습니다',
    required: '필수 항목입니다.',
    notFound: '찾는 정보가 없습니다',
  },
  en: {
    queue: 'Rights request queue',
    intake: 'Log an offline request',
    logged: 'Request logged',
    verified: 'Identity verified',
    done: 'Done',
    chain: 'Hash chain verified',
    refused: 'Access refused',
    required: 'This field is required.',
    notFound: 'Nothing was found',
  },
} as const;

const OFFICER = { groups: ['privacy-officer'] } as const;
const DAY_MS = 86_400_000;

/**
 * Requests received over the past weeks, so the numbers on top and the charts have something to
 * show: days before now it was received, and what happened since (PIPA: due 10 days after).
 */
const HISTORY = [
  { member: 'seed-1', type: 'access', daysAgo: 20, since: 'nothing' },
  { member: 'seed-1', type: 'correction', daysAgo: 12, since: 'verify' },
  { member: 'seed-1', type: 'portability', daysAgo: 5, since: 'refuse' },
  { member: 'seed-2', type: 'access', daysAgo: 35, since: 'refuse' },
  { member: 'seed-2', type: 'objection', daysAgo: 10, since: 'verify' },
  { member: 'seed-2', type: 'restriction', daysAgo: 9, since: 'verify' },
] as const;

/**
 * Waits for what the page shows: every API call of the console writes an access record (sealed
 * with KMS) first, and reading the records checks the whole chain, so a busy machine takes seconds.
 */
function until<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 20_000, interval: 100 });
}

/** The views of the console, by their menu fragment. */
const VIEWS = ['queue', 'intake', 'members', 'provisions', 'policy', 'records', 'charts'] as const;

/**
 * A provision each profile's policy allows on a basis other than consent (neither names a
 * recipient), and a basis it does not allow.
 */
const PROVISIONS = {
  littleone: {
    items: 'email',
    purpose: 'membership',
    refused: 'vital-interests',
    basis: 'legal-obligation',
    reference: 'warrant 2026-77',
  },
  lgcns: {
    items: 'name, email',
    purpose: 'inquiries',
    refused: 'legal-obligation',
    basis: 'contract',
    reference: 'delivery of the service; the member cannot be reached for consent',
  },
} as const;

/** The Seoul day `days` after today, YYYY-MM-DD. */
function seoulDayIn(days: number): string {
  return new Date(Date.now() + 9 * 3_600_000 + days * DAY_MS).toISOString().slice(0, 10);
}

/** Runs the console suite for `profile`; `shots` saves the README's screenshots. */
export function consoleSuite(profile: string, shots: boolean): void {
  let env: BrowserStack;
  const method = loadCatalogue(profile).signIn[0]!;

  beforeAll(async () => {
    env = await startBrowserStack(profile);
    for (const sub of ['console-ko', 'console-en', 'seed-1', 'seed-2', 'seed-child']) {
      const { token, body } = joinBody(profile, sub);
      const joined = await call(env.stack, 'POST', '/v1/members', { sub, token, body });
      expect(joined.status).toBe(201);
    }
    const asOfficer = (path: string, body: unknown) =>
      call(env.stack, 'POST', path, { sub: 'officer-seed', token: OFFICER, body });
    for (const h of HISTORY) {
      const logged = await asOfficer('/v1/admin/requests', {
        memberId: h.member,
        type: h.type,
        channel: 'phone',
        receivedAt: new Date(Date.now() - h.daysAgo * DAY_MS).toISOString(),
      });
      expect(logged.status).toBe(201);
      const id = logged.json.requestId as string;
      if (h.since === 'nothing') continue;
      const verified = await asOfficer(`/v1/admin/requests/${id}/verification`, {
        method: 'call-back-to-registered-number',
        reference: 'called back on the registered number',
      });
      expect(verified.status).toBe(200);
      if (h.since === 'refuse') {
        const refused = await asOfficer(`/v1/admin/requests/${id}/actions`, {
          action: 'refuse',
          reason: 'the requester withdrew the request by phone',
        });
        expect(refused.status).toBe(200);
      }
    }
  });
  afterAll(async () => {
    await env?.stop();
  });

  /** A fresh page in `lang`, signed in to the console through the local issuer's page. */
  async function signedIn(lang: Language, account: string, officer: boolean): Promise<Page> {
    const context = await env.context(lang === 'ko' ? 'ko-KR' : 'en-US');
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${env.stack.baseUrl}/console?lang=${lang}`);
    await page.locator('main button.primary').click();
    await page.waitForURL(/\/local-issuer\/authorize/);
    await signInThroughPage(page, { account, method, officer });
    await page.waitForURL(/\/console\?lang=/);
    return page;
  }

  async function open(page: Page, view: (typeof VIEWS)[number]): Promise<void> {
    await page.locator(`nav.console-menu a[href="#${view}"]`).click();
    await until(() => page.locator(`nav.console-menu a[href="#${view}"]`).getAttribute('aria-current')).toBe(
      'page',
    );
  }

  for (const lang of ['ko', 'en'] as const) {
    describe(`an officer's journey (${profile}, ${lang})`, () => {
      it('offline request → verify → act → access record visible under a verified chain', async () => {
        const w = WORDS[lang];
        const member = `console-${lang}`;
        const page = await signedIn(lang, `officer-${lang}`, true);
        await until(() => page.locator('h1').textContent()).toBe(w.queue);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        const before = Number(await page.locator('[data-count=unfinished]').textContent());
        // Received 20 and 12 days ago and unanswered: overdue; 10 days ago: due today; 9: due soon.
        expect(await page.locator('[data-count=overdue]').textContent()).toBe('2');
        expect(await page.locator('[data-count=due-today]').textContent()).toBe('1');
        expect(await page.locator('[data-count=due-soon]').textContent()).toBe('1');
        await page.locator('button.count.overdue').click();
        await until(() => page.locator('table.queue tbody tr').count()).toBe(2);
        expect(await page.locator('table.queue tbody tr.overdue').count()).toBe(2);
        await page.locator('button.count.overdue').click();

        // Intake: the console's own checks name each missing field next to it…
        await open(page, 'intake');
        await until(() => page.locator('h1').textContent()).toBe(w.intake);
        await page.locator('main form button[type=submit]').click();
        expect(await page.locator('#intake-member-error').textContent()).toBe(w.required);
        expect(await page.locator('#intake-member').getAttribute('aria-invalid')).toBe('true');
        // …and the API's answer about a member it does not know is shown in the reader's language.
        await page.locator('#intake-member').fill('nobody-here');
        await page.locator('#intake-type').selectOption('access');
        await page.locator('#intake-channel').selectOption('letter');
        await page.locator('main form button[type=submit]').click();
        await until(() => page.locator('[role=alert]').first().textContent()).toContain(w.notFound);
        expect(await page.locator('#intake-type').inputValue()).toBe('access');

        await page.locator('#intake-member').fill(member);
        await page.locator('main form button[type=submit]').click();
        await until(() => page.locator('[role=status]').first().textContent()).toContain(w.logged);
        await page.locator('[role=status] button.primary').click();

        // The request opens in the queue, awaiting verification.
        await until(() => page.locator('#detail-title').count()).toBe(1);
        expect(await page.locator('[data-status]').getAttribute('data-status')).toBe('awaiting-verification');
        expect(Number(await page.locator('[data-count=unfinished]').textContent())).toBe(before + 1);
        if (shots) await screenshot(page, `console-request-${lang}`);
        await expectAccessible(page);
        await page.locator('#verify-method').selectOption('identity-document');
        await page.locator('#verify-reference').fill('ID card checked against the letter');
        await page.locator('form[aria-labelledby=verify-title] button[type=submit]').first().click();
        await until(() => page.locator('[data-status]').getAttribute('data-status')).toBe('open');
        expect(await page.locator('.detail').textContent()).toContain(w.verified);

        await page.locator('#act-action').selectOption('export');
        await page.locator('form[aria-labelledby=act-title] button[type=submit]').click();
        expect(await page.locator('#act-download-reason-error').textContent()).toBe(w.required);
        await page.locator('#act-download-reason').fill(`letter ${lang}: copy of the data requested`);
        await page.locator('form[aria-labelledby=act-title] button[type=submit]').click();
        await until(() =>
          page.locator('form[aria-labelledby=act-title] [role=status]').textContent(),
        ).toContain(w.done);
        await until(() => page.locator('[data-status]').getAttribute('data-status')).toBe('completed');

        // The access records: the action's record with its reason, under a verified chain.
        await open(page, 'records');
        await until(() => page.locator('[data-chain]').getAttribute('data-chain')).toBe('intact');
        expect(await page.locator('[data-chain]').textContent()).toContain(w.chain);
        await page.locator('#records-member').fill(member);
        await page.locator('form.filters button[type=submit]').click();
        const acted = page.locator('tr[data-action="post-request-action"]');
        await until(() => acted.count()).toBe(1);
        expect(await acted.textContent()).toContain(`letter ${lang}: copy of the data requested`);
        expect(await page.locator('tr[data-action="post-request-verification"]').count()).toBe(1);
        expect(await page.locator('tr[data-action="post-request"]').count()).toBe(1);
        await until(() => page.locator('[data-chain]').getAttribute('data-chain')).toBe('intact');

        // The page ran within its CSP, without an uncaught error.
        expect(env.consoleLines.filter((line) => /Content Security Policy|pageerror/.test(line))).toEqual([]);
        // Nothing personal in the address bar or in storage other than the session's token.
        expect(page.url()).not.toContain(member);
        expect(await page.evaluate('localStorage.length')).toBe(0);
        expect(await page.evaluate('document.cookie')).toBe('');
        await page.context().close();
      });

      it('every view passes axe-core with no serious or critical violation', async () => {
        const page = await signedIn(lang, `officer-${lang}`, true);
        await until(() => page.locator('h1').textContent()).toBe(WORDS[lang].queue);
        for (const view of VIEWS) {
          await open(page, view);
          await until(() => page.locator('main h1').count()).toBe(1);
          if (view === 'records') await until(() => page.locator('[data-chain]').count()).toBe(1);
          if (view === 'charts') await until(() => page.locator('svg.bars').count()).toBe(2);
          if (view === 'policy') await until(() => page.locator('.in-force').count()).toBe(1);
          await expectNoRawObjects(page);
          await expectAccessible(page);
          if (shots) await screenshot(page, `console-${view}-${lang}`);
        }
        // The charts' table alternative says what the bars draw.
        await open(page, 'charts');
        await page.locator('#chart-status-title ~ details summary, figure details summary').first().click();
        await until(() => page.locator('figure details[open] table tbody tr').count()).toBe(8);
        // The performance table counts what the history made: one answered late (received 35 days
        // ago, refused now), two overdue (20 and 12 days ago, unanswered).
        const performance = page.locator('figure[aria-labelledby=chart-performance-title]');
        await performance.locator('summary').click();
        const column = async (index: number) =>
          (await performance.locator(`tbody tr td:nth-of-type(${index})`).allTextContents()).reduce(
            (sum, cell) => sum + Number(cell),
            0,
          );
        expect(await column(2)).toBe(1);
        expect(await column(3)).toBe(2);
        expect(await page.locator('svg.bars rect').count()).toBeGreaterThan(3);
        await expectAccessible(page);
        // A narrow screen: the console still passes.
        await page.setViewportSize({ width: 390, height: 844 });
        await open(page, 'queue');
        await expectAccessible(page);
        expect(env.consoleLines.filter((line) => /Content Security Policy|pageerror/.test(line))).toEqual([]);
        await page.context().close();
      });

      it("a member's token is refused with a page that says so", async () => {
        const page = await signedIn(lang, `member-${lang}`, false);
        await until(() => page.locator('[data-refused]').count()).toBe(1);
        expect(await page.locator('h1').textContent()).toBe(WORDS[lang].refused);
        expect(await page.locator('nav.console-menu').count()).toBe(0);
        await expectAccessible(page);
        if (shots) await screenshot(page, `console-refused-${lang}`);
        await page.context().close();
      });
    });
  }

  describe(`the officer's other actions (${profile})`, () => {
    it('corrects an item chosen by name, extends a GDPR deadline, suspends, reinstates and terminates, records a provision and publishes a version under the 7-day rule, each with its reason', async () => {
      const lang: Language = profile === 'littleone' ? 'ko' : 'en';
      const page = await signedIn(lang, 'officer-more', true);
      await until(() => page.locator('h1').textContent()).toBe(WORDS[lang].queue);

      // The overdue correction of the history: the member's items loaded with a reason, the item
      // chosen by name, the correction made.
      await page
        .locator('table.queue tbody tr', { hasText: 'seed-1' })
        .filter({ hasText: lang === 'ko' ? '정정' : 'Correction' })
        .locator('button.link')
        .click();
      await until(() => page.locator('form[aria-labelledby=lookup-title]').count()).toBe(1);
      await page.locator('#lookup-reason').fill('correction request received by phone');
      await page.locator('form[aria-labelledby=lookup-title] button[type=submit]').click();
      await until(() => page.locator('form[aria-labelledby=lookup-title]').count()).toBe(0);
      await page.locator('#act-action').selectOption('correct');
      // The items are offered by their catalogue label in the officer's language, not as {ko, en}.
      const emailLabel = loadCatalogue(profile).items.email!.label;
      expect(await page.locator('#act-item option[value=email]').textContent()).toBe(emailLabel[lang]);
      await expectNoRawObjects(page);
      await page.locator('#act-item').selectOption('email');
      await page.locator('#act-value').fill(`corrected-${profile}@example.com`);
      await page.locator('form[aria-labelledby=act-title] button[type=submit]').click();
      await until(() => page.locator('[data-status]').getAttribute('data-status')).toBe('completed');
      await expectAccessible(page);

      // A GDPR request, identity verified at intake: it can be extended, with a reason.
      await open(page, 'intake');
      await page.locator('#intake-member').fill('seed-2');
      await page.locator('#intake-type').selectOption('correction');
      await page.locator('#intake-channel').selectOption('email');
      await page.locator('#intake-jurisdiction').selectOption('gdpr');
      await page.locator('#intake-verified').check();
      await page.locator('main form button[type=submit]').click();
      expect(await page.locator('#intake-reference-error').count()).toBe(1);
      await page.locator('#intake-method').selectOption('reply-from-registered-email');
      await page.locator('#intake-reference').fill('reply from the registered address');
      await page.locator('main form button[type=submit]').click();
      await page.locator('[role=status] button.primary').click();
      await until(() => page.locator('[data-status]').getAttribute('data-status')).toBe('open');
      const before = await page.locator('.facts').textContent();
      await page.locator('#extend-months').fill('2');
      await page.locator('#extend-reason').fill('hundreds of records across three services');
      await page.locator('form[aria-labelledby=extend-title] button[type=submit]').click();
      await until(() => page.locator('.detail').textContent()).toContain(
        'hundreds of records across three services',
      );
      expect(await page.locator('.facts').textContent()).not.toBe(before);
      expect(await page.locator('form[aria-labelledby=extend-title]').count()).toBe(0);

      // Suspension and reinstatement, each with its reason; a member view with its reason.
      await open(page, 'members');
      await page.locator('#member-id').fill('seed-1');
      await page.locator('#member-action').selectOption('suspend');
      await page.locator('main form button[type=submit]').click();
      expect(await page.locator('#member-reason-error').count()).toBe(1);
      await page.locator('#member-reason').fill('false date of birth reported by a guardian');
      await page.locator('main form button[type=submit]').click();
      await until(() => page.locator('main [role=status]').count()).toBe(1);
      await page.locator('#member-action').selectOption('view');
      await page.locator('#member-reason').fill('checking the suspension took effect');
      await page.locator('main form button[type=submit]').click();
      await until(() => page.locator('#member-view-title').count()).toBe(1);
      expect(await page.locator('[data-member-status]').getAttribute('data-member-status')).toBe('suspended');
      expect(await page.locator('main').innerText()).toContain(emailLabel[lang]);
      expect(await page.locator('main').innerText()).not.toContain(emailLabel[lang === 'ko' ? 'en' : 'ko']);
      await expectNoRawObjects(page);
      await expectAccessible(page);
      await page.locator('#member-action').selectOption('reinstate');
      await page.locator('#member-reason').fill('the guardian corrected the date');
      await page.locator('main form button[type=submit]').click();
      await until(() => page.locator('main [role=status]').count()).toBe(1);

      // A child found under the minimum age: terminated once the officer confirms it cannot be undone.
      await page.locator('#member-id').fill('seed-child');
      await page.locator('#member-action').selectOption('terminate');
      await page.locator('#member-reason').fill('a parent reported the child is 12');
      await page.locator('main form button[type=submit]').click();
      expect(await page.locator('#member-confirm-error').count()).toBe(1);
      await page.locator('#member-confirm').check();
      await page.locator('main form button[type=submit]').click();
      await until(() => page.locator('main [role=status]').count()).toBe(1);
      await page.locator('#member-action').selectOption('view');
      await page.locator('#member-reason').fill('checking the termination');
      await page.locator('main form button[type=submit]').click();
      await until(() => page.locator('main [role=alert]').count()).toBe(1);

      // A provision on the basis the policy allows, then listed (seed-1's email is under correction).
      const p = PROVISIONS[profile as keyof typeof PROVISIONS];
      await open(page, 'provisions');
      await page.locator('#prov-member').fill('seed-2');
      await page.locator('#prov-recipient').fill('Seoul Metropolitan Police');
      await page.locator('#prov-contact').fill('cyber@police.example');
      await page.locator('#prov-items').fill(p.items);
      await page.locator('#prov-purpose').fill(p.purpose);
      await page.locator('#prov-basis').selectOption(p.basis);
      await page.locator('form[aria-labelledby=provision-title] button[type=submit]').click();
      expect(await page.locator('#prov-reference-error').count()).toBe(1);
      await page.locator('#prov-reference').fill(p.reference);
      // A basis the policy does not allow: the API's 422 names the field, and the error sits under it.
      await page.locator('#prov-basis').selectOption(p.refused);
      await page.locator('form[aria-labelledby=provision-title] button[type=submit]').click();
      await until(() => page.locator('#prov-basis-error').count()).toBe(1);
      expect(await page.locator('#prov-basis').getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#prov-reference').inputValue()).toBe(p.reference);
      await page.locator('#prov-basis').selectOption(p.basis);
      await page.locator('form[aria-labelledby=provision-title] button[type=submit]').click();
      await until(() => page.locator('form[aria-labelledby=provision-title] [role=status]').count()).toBe(1);
      await page.locator('#prov-list-member').fill('seed-2');
      await page.locator('form[aria-labelledby=provisions-list-title] button[type=submit]').click();
      await until(() => page.locator('form[aria-labelledby=provisions-list-title] tbody tr').count()).toBe(1);
      expect(await page.locator('form[aria-labelledby=provisions-list-title] tbody').textContent()).toContain(
        p.reference,
      );

      // A policy version: refused inside the notice lead (the error next to the date), then published.
      await open(page, 'policy');
      const input = structuredClone(profiles[profile as keyof typeof profiles]) as {
        policy: Record<string, unknown>;
      };
      const tooEarly = seoulDayIn(6);
      const earliest = seoulDayIn(7);
      const catalogue = { ...input, policy: { ...input.policy, version: '1.1', effectiveDate: earliest } };
      await page.locator('#publish-catalogue').fill(JSON.stringify(catalogue));
      await page.locator('#publish-date').fill(tooEarly);
      await page.locator('#publish-summary').fill('The privacy officer has a new phone number.');
      await page.locator('form[aria-labelledby=publish-title] button[type=submit]').click();
      expect(await page.locator('#publish-date-error').count()).toBe(1);
      expect(await page.locator('#publish-date').getAttribute('min')).toBe(earliest);
      await page.locator('#publish-date').fill(earliest);
      await page.locator('form[aria-labelledby=publish-title] button[type=submit]').click();
      await until(() => page.locator('form[aria-labelledby=publish-title] [role=status]').count()).toBe(1);
      await until(() => page.locator('.upcoming').textContent()).toContain('1.1');
      await expectAccessible(page);
      if (shots) await screenshot(page, `console-policy-published-${lang}`);

      // Every one of these actions wrote its access record with the reason stated.
      await open(page, 'records');
      await page.locator('#records-member').fill('seed-1');
      await page.locator('form.filters button[type=submit]').click();
      await until(() => page.locator('tr[data-action="post-member-suspend"]').count()).toBe(1);
      expect(await page.locator('tr[data-action="post-member-suspend"]').textContent()).toContain(
        'false date of birth reported by a guardian',
      );
      expect(await page.locator('tr[data-action="post-member-reinstate"]').textContent()).toContain(
        'the guardian corrected the date',
      );
      expect(
        await page
          .locator('tr[data-action="get-admin-member"]', { hasText: 'checking the suspension took effect' })
          .count(),
      ).toBe(1);
      expect(
        await page
          .locator('tr[data-action="get-admin-member"]', { hasText: 'correction request received by phone' })
          .count(),
      ).toBe(1);
      await page.locator('#records-member').fill('seed-child');
      await page.locator('form.filters button[type=submit]').click();
      await until(() => page.locator('tr[data-action="post-member-terminate"]').count()).toBe(1);
      expect(await page.locator('tr[data-action="post-member-terminate"]').textContent()).toContain(
        'a parent reported the child is 12',
      );
      await page.locator('#records-member').fill('seed-2');
      await page.locator('form.filters button[type=submit]').click();
      // The refused provision wrote its record too: the record comes before the answer, whatever it is.
      await until(() => page.locator('tr[data-action="post-provision"]').count()).toBe(2);
      expect(await page.locator('tr[data-action="post-request-extension"]').textContent()).toContain(
        'hundreds of records across three services',
      );
      await until(() => page.locator('[data-chain]').getAttribute('data-chain')).toBe('intact');
      await page.context().close();
    });
  });

  describe(`an expired session (${profile})`, () => {
    it('is renewed in a popup without leaving the console, and what was typed is sent as it was', async () => {
      const lang: Language = profile === 'littleone' ? 'en' : 'ko';
      const page = await signedIn(lang, 'officer-late', true);
      await until(() => page.locator('h1').textContent()).toBe(WORDS[lang].queue);
      await open(page, 'intake');
      await page.locator('#intake-member').fill('seed-1');
      await page.locator('#intake-type').selectOption('deletion');
      await page.locator('#intake-channel').selectOption('phone');
      // The session ends while the officer types: its token is now an expired one of the same officer.
      const session = JSON.parse(String(await page.evaluate('sessionStorage.getItem("privacy.session")')));
      const sub = JSON.parse(Buffer.from(session.idToken.split('.')[1], 'base64url').toString())
        .sub as string;
      const expired = await env.stack.token(sub, {
        groups: ['privacy-officer'],
        method: 'password',
        expiresInSeconds: -60,
      });
      await page.evaluate(
        `sessionStorage.setItem("privacy.session", ${JSON.stringify(JSON.stringify({ ...session, idToken: expired }))})`,
      );
      await page.locator('main form button[type=submit]').click();
      await until(() => page.locator('dialog.session[open]').count()).toBe(1);
      const popup = page.waitForEvent('popup');
      await page.locator('dialog.session button.primary').click();
      const signIn = await popup;
      await signIn.waitForURL(/\/local-issuer\/authorize/);
      await signInThroughPage(signIn, { account: 'officer-late', method, officer: true });
      await until(() => page.locator('main [role=status]').first().textContent()).toContain(
        WORDS[lang].logged,
      );
      expect(await page.locator('#intake-member').inputValue()).toBe('seed-1');
      expect(await page.locator('dialog.session[open]').count()).toBe(0);
      await page.context().close();
    });
  });
}
