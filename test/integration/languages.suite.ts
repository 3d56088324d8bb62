/**
 * Korean and English end to end for one profile (issue 16, item 1), on the local stack against
 * moto: the published policy negotiated by ?lang= and Accept-Language, the member's language
 * recorded at join and changed with PATCH /v1/me, and every email to a member read back from the
 * emulator's SES outbox in both languages, with Seoul dates and particles that fit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../local/job';
import { addToSeoulDay, seoulDateTimeText, seoulDay, seoulDayText } from '../../model/calendar';
import { loadCatalogue, type ProfileName, profiles } from '../../policy/catalogue';
import type { Language } from '../../policy/i18n';
import { policyDocument, SECTION_IDS } from '../../policy/render';
import type { CatalogueInput } from '../../policy/schema';
import type { MatrixFixture } from './authorization.suite';
import { expectProblem, startTestStack, type TestStack } from './harness';
import { joinAt, runInactivity, tablesOf, yearOf } from './inactivity-fixtures';
import { call, latestCode, mailsTo } from './member-api';
import { asOfficer } from './officer-api';

/** Registers the language tests of `profile`. */
export function languagesSuite(profile: ProfileName, fixture: MatrixFixture): void {
  const c = loadCatalogue(profile);
  let stack: TestStack;
  let db: ReturnType<typeof tablesOf>;
  const get = (path: string, headers: Record<string, string> = {}) => call(stack, 'GET', path, { headers });
  /** Joins `sub` through the API, its app stating `acceptLanguage` (none when undefined). */
  const joinAs = (sub: string, acceptLanguage?: string) =>
    call(stack, 'POST', '/v1/members', {
      sub,
      token: fixture.token,
      body: fixture.join(sub),
      ...(acceptLanguage ? { headers: { 'accept-language': acceptLanguage } } : {}),
    });
  const me = (sub: string) => call(stack, 'GET', '/v1/me', { sub, token: fixture.token });
  const address = (sub: string) => `${sub}@example.com`;

  beforeAll(async () => {
    stack = await startTestStack(profile);
    db = tablesOf(stack);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe(`the published policy in Korean and English (${profile})`, () => {
    it('is Korean by default, in the guideline’s order, with the labels, and says so in its headers', async () => {
      const res = await get('/v1/policy');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-language')).toBe('ko');
      expect(res.headers.get('vary')).toBe('Accept, Accept-Language');
      expect(res.text).toContain('<html lang="ko">');
      const doc = policyDocument(c, 'ko');
      const at = doc.sections.map((s) => res.text.indexOf(`<section id="${s.id}">`));
      expect(at.every((i) => i > 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
      expect(res.text).toContain('<h2>1. 개인정보의 처리 목적</h2>');
      for (const label of doc.labels!) expect(res.text).toContain(`id="label-${label.id}"`);
      for (const purpose of Object.values(c.purposes)) expect(res.text).toContain(purpose.label.ko);
    });

    it('is English with ?lang=en, the same sections and labels, in Markdown and JSON too', async () => {
      const md = await get('/v1/policy?lang=en&format=markdown');
      expect(md.headers.get('content-language')).toBe('en');
      expect(md.text).toContain(`# ${c.operator.service.en} privacy policy`);
      expect(md.text).toContain('## 1. Why we process personal data');
      const json = await get('/v1/policy?format=json&lang=en');
      expect(json.json.lang).toBe('en');
      expect(json.json.sections.map((s: { id: string }) => s.id)).toEqual([...SECTION_IDS]);
      expect(json.json.labels).toEqual(JSON.parse(JSON.stringify(policyDocument(c, 'en').labels)));
    });

    it.each([
      ['en-US,en;q=0.9', 'en'],
      ['fr-CA, en;q=0.5, ko;q=0.4', 'en'],
      ['en;q=0.3, ko-KR;q=0.8', 'ko'],
      ['fr, de', 'ko'],
      ['*', 'ko'],
      ['en;q=0', 'ko'],
    ])('Accept-Language %s gets %s', async (acceptLanguage, lang) => {
      const res = await get('/v1/policy?format=markdown', { 'accept-language': acceptLanguage });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-language')).toBe(lang);
      expect(res.text).toContain(lang === 'ko' ? '개인정보 처리방침' : 'privacy policy');
    });

    it('?lang= wins over Accept-Language', async () => {
      const res = await get('/v1/policy?lang=ko', { 'accept-language': 'en' });
      expect(res.headers.get('content-language')).toBe('ko');
    });

    it('an unsupported ?lang= is a 400 problem naming lang', async () => {
      const res = await get('/v1/policy?lang=fr');
      const problem = await expectProblem(
        {
          status: res.status,
          headers: { 'content-type': res.headers.get('content-type') ?? '' },
          body: res.text,
        },
        400,
      );
      expect(JSON.stringify(problem)).toContain('lang');
      expect(problem.title).toMatch(/^[\x20-\x7e]+$/);
    });
  });

  describe(`the member's language (${profile})`, () => {
    it('join records the language Accept-Language prefers, Korean when it names none we speak', async () => {
      for (const [sub, header, lang] of [
        ['lang-en', 'en-GB,en;q=0.8', 'en'],
        ['lang-none', undefined, 'ko'],
        ['lang-fr', 'fr-FR', 'ko'],
      ] as const) {
        const joined = await joinAs(sub, header);
        expect(joined.status, joined.text).toBe(201);
        expect((await me(sub)).json.lang).toBe(lang);
        expect((await db.profile(sub))?.lang).toBe(lang);
      }
    });

    it('the member changes it with PATCH /v1/me; an unknown language is a 400 naming the field', async () => {
      const changed = await call(stack, 'PATCH', '/v1/me', {
        sub: 'lang-none',
        token: fixture.token,
        body: { lang: 'en' },
      });
      expect(changed.status, changed.text).toBe(200);
      expect(changed.json).toEqual({ corrected: [], removed: [], pending: [] });
      expect((await me('lang-none')).json.lang).toBe('en');

      const bad = await call(stack, 'PATCH', '/v1/me', {
        sub: 'lang-none',
        token: fixture.token,
        body: { lang: 'fr' },
      });
      expect(bad.status).toBe(400);
      expect(bad.json.errors.map((e: { field: string }) => e.field)).toContain('lang');
      const empty = await call(stack, 'PATCH', '/v1/me', {
        sub: 'lang-none',
        token: fixture.token,
        body: {},
      });
      expect(empty.status).toBe(400);
      expect((await me('lang-none')).json.lang).toBe('en');
      const back = await call(stack, 'PATCH', '/v1/me', {
        sub: 'lang-none',
        token: fixture.token,
        body: { lang: 'ko' },
      });
      expect(back.status).toBe(200);
      expect((await db.profile('lang-none'))?.lang).toBe('ko');
    });
  });

  describe(`every email in the member's language (${profile})`, () => {
    const noticeLabel = c.items[c.noticeItem]!.label;

    it.each([
      ['ko', 'ko-KR'],
      ['en', 'en'],
    ] as const)('the correction code (%s)', async (lang, header) => {
      const sub = `code-${lang}`;
      expect((await joinAs(sub, header)).status).toBe(201);
      const res = await call(stack, 'PATCH', '/v1/me', {
        sub,
        token: fixture.token,
        body: { items: { [c.noticeItem]: `new-${sub}@example.com` } },
      });
      expect(res.status, res.text).toBe(200);
      const [mail] = await mailsTo(stack, `new-${sub}@example.com`);
      const code = await latestCode(stack, `new-${sub}@example.com`);
      if (lang === 'ko') {
        expect(mail!.subject).toBe(`[${c.operator.service.ko}] ${noticeLabel.ko} 변경 확인 인증번호`);
        expect(mail!.body).toContain(`인증번호는 ${code}입니다. 24시간 동안 유효합니다.`);
      } else {
        expect(mail!.subject).toBe(
          `${c.operator.service.en}: confirm your new ${noticeLabel.en.toLowerCase()}`,
        );
        expect(mail!.body).toContain(`Your verification code is ${code}. It expires in 24 hours.`);
      }
    });

    it('a code requested together with a change of language comes in the new language', async () => {
      expect((await joinAs('code-switch')).status).toBe(201);
      const res = await call(stack, 'PATCH', '/v1/me', {
        sub: 'code-switch',
        token: fixture.token,
        body: { lang: 'en', items: { [c.noticeItem]: 'switched@example.com' } },
      });
      expect(res.status, res.text).toBe(200);
      expect((await mailsTo(stack, 'switched@example.com'))[0]!.subject).toMatch(/: confirm your new /);
      expect((await me('code-switch')).json.lang).toBe('en');
    });

    it.each([
      ['ko', undefined],
      ['en', 'en'],
    ] as const)('the restriction-lift notice, with the Seoul date it was set (%s)', async (lang, header) => {
      const sub = `lift-${lang}`;
      expect((await joinAs(sub, header)).status).toBe(201);
      const put = await call(stack, 'PUT', '/v1/me/restriction', {
        sub,
        token: fixture.token,
        body: { scope: 'all', reason: 'checking' },
      });
      expect(put.status, put.text).toBe(200);
      const restriction = (await db.profile(sub))?.restriction as { since: string };
      const since = new Date(restriction.since);
      const lift = await call(stack, 'DELETE', '/v1/me/restriction', { sub, token: fixture.token });
      expect(lift.json).toEqual({ lifted: true, noticeSent: true });
      const [mail] = await mailsTo(stack, address(sub));
      const when = seoulDateTimeText(since, lang);
      expect(when).toMatch(
        lang === 'ko' ? /^\d{4}년 \d{1,2}월 \d{1,2}일 \d\d:\d\d KST$/ : /^\d{1,2} \w+ \d{4}, \d\d:\d\d KST$/,
      );
      if (lang === 'ko') {
        expect(mail!.subject).toBe(`[${c.operator.service.ko}] 개인정보 처리정지가 해제됩니다`);
        expect(mail!.body).toContain(`요청하신 대로 ${when}에 설정하신 개인정보 처리정지를 해제합니다.`);
      } else {
        expect(mail!.subject).toBe(
          `${c.operator.service.en}: your restriction of processing is being lifted`,
        );
        expect(mail!.body).toContain(`the restriction of processing you set on ${when} is being lifted`);
      }
    });

    it.each([
      'ko',
      'en',
    ] as const)('the inactivity notice, with the Seoul date of destruction (%s)', async (lang) => {
      const { signIn, day } = yearOf(
        lang === 'ko' ? '2033-01-10T02:00:00+09:00' : '2034-01-10T02:00:00+09:00',
      );
      const sub = `inactive-${lang}`;
      await joinAt(profile, sub, address(sub), signIn, lang);
      await runInactivity(stack, day(335));
      const [mail] = await mailsTo(stack, address(sub));
      const state = (await db.profile(sub))?.inactivity;
      const destroyAt = new Date(state && 'destroyAt' in state ? state.destroyAt : Number.NaN);
      const when = seoulDateTimeText(destroyAt, lang);
      const held = Object.keys((await db.profile(sub))?.items as Record<string, string>);
      for (const id of held) expect(mail!.body).toContain(`- ${c.items[id]!.label[lang]}`);
      if (lang === 'ko') {
        expect(mail!.subject).toBe(`[${c.operator.service.ko}] 장기 미이용으로 계정이 파기될 예정입니다`);
        expect(mail!.body).toContain(`그 전에 로그인하지 않으시면 ${when}에 다음 정보를 파기합니다:`);
        // 리틀원 ends in a final consonant (을), 서비스 in none (를).
        const object = { littleone: '리틀원을', lgcns: 'LG CNS 웹 서비스를' }[profile];
        expect(mail!.body).toContain(`오랫동안 ${object} 이용하지 않으셨습니다.`);
      } else {
        expect(mail!.subject).toBe(`${c.operator.service.en}: your account will be destroyed for inactivity`);
        expect(mail!.body).toContain(`Unless you sign in before then, on ${when} we will destroy:`);
      }
    });

    it('the policy-change notice, Korean or English by each member', async () => {
      await joinAt(profile, 'notice-ko', address('notice-ko'), new Date(), 'ko');
      await joinAt(profile, 'notice-en', address('notice-en'), new Date(), 'en');
      const effectiveDate = addToSeoulDay(seoulDay(new Date()), { days: 8 });
      const input = structuredClone(profiles[profile]) as CatalogueInput;
      const published = await asOfficer(stack, 'POST', '/v1/admin/policy-versions', {
        catalogue: { ...input, policy: { ...input.policy, version: '1.5', effectiveDate } },
        effectiveDate,
        summary: 'Version 1.5 / 버전 1.5',
      });
      expect(published.status, published.text).toBe(201);
      await runJob('policyNotices', stack.env, stack.profile, new Date().toISOString());
      await runJob('policyNotices', stack.env, stack.profile, new Date().toISOString());
      const text = (lang: Language) => seoulDayText(effectiveDate, lang);
      const [ko] = await mailsTo(stack, address('notice-ko'));
      expect(ko!.subject).toBe(`[${c.operator.service.ko}] ${text('ko')}부터 개인정보 처리방침이 변경됩니다`);
      expect(ko!.body).toContain(`새 버전(1.5)은 ${text('ko')}(한국 표준시)부터 시행됩니다.`);
      expect(ko!.body).toContain('lang=ko');
      const [en] = await mailsTo(stack, address('notice-en'));
      expect(en!.subject).toBe(`${c.operator.service.en}: our privacy policy changes on ${text('en')}`);
      expect(en!.body).toContain(`Version 1.5 takes effect on ${text('en')} (Korea Standard Time).`);
      expect(en!.body).toContain('lang=en');
    });

    it('the officer digest, in Korean (the officer contact states no other language)', async () => {
      const counts = (await runJob('requestsDigest', stack.env, stack.profile)) as Record<string, number>;
      const to = c.contacts.officer.email ?? c.contacts.others.find((o) => o.email)?.email;
      if (!to) {
        expect(counts.digestSent).toBe(0);
        return;
      }
      expect(counts.digestSent).toBe(1);
      const digest = (await mailsTo(stack, to)).at(-1)!;
      const today = seoulDayText(seoulDay(new Date()), 'ko');
      expect(digest.subject).toMatch(
        new RegExp(
          `^\\[${c.operator.service.ko}\\] 처리 중인 개인정보 요청 \\d+건 중 \\d+건 기한 초과 \\(${today}\\)$`,
        ),
      );
      expect(digest.body).toContain(`${today} 기준(Asia/Seoul) 아직 답하지 않은 권리 요청, 기한순:`);
    });
  });
}
