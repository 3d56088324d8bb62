/**
 * The pages' base on the local front: served with their CSP and security headers and no cookie,
 * signing in through the local issuer with the authorization code flow and PKCE, in Korean by
 * default and in English by `?lang=` or the browser's language.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE } from '../../local/issuer';
import { type BrowserStack, expectAccessible, signInThroughPage, startBrowserStack } from './browser';

let env: BrowserStack;
beforeAll(async () => {
  env = await startBrowserStack('littleone');
});
afterAll(async () => {
  await env?.stop();
});

describe('serving the pages', () => {
  it('serves each page and its hashed assets with a CSP without unsafe-inline, and no cookie', async () => {
    for (const page of ['privacy', 'console']) {
      const html = await fetch(`${env.stack.baseUrl}/${page}`);
      expect(html.status).toBe(200);
      const csp = html.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(html.headers.get('set-cookie')).toBeNull();
      expect(html.headers.get('x-content-type-options')).toBe('nosniff');
      const text = await html.text();
      const assets = [...text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
      expect(assets.length).toBeGreaterThanOrEqual(2);
      for (const asset of assets) {
        // Content-hashed names, served by the stack itself: no CDN.
        expect(asset).toMatch(new RegExp(`^${page}/assets/main-[A-Z0-9]+\\.(js|css)$`));
        const file = await fetch(`${env.stack.baseUrl}/${asset}`);
        expect(file.status).toBe(200);
        expect(file.headers.get('cache-control')).toContain('immutable');
        expect(file.headers.get('content-security-policy')).toBe(csp);
      }
      const config = await (await fetch(`${env.stack.baseUrl}/${page}/config.json`)).json();
      expect(config).toMatchObject({ clientId: LOCAL_AUDIENCE, profile: 'littleone', apiBase: '' });
    }
    expect((await fetch(`${env.stack.baseUrl}/privacy/assets/nothing.js`)).status).toBe(404);
    expect((await fetch(`${env.stack.baseUrl}/privacy`, { method: 'POST' })).status).toBe(405);
  });

  it('refuses sign-in requests for another client, another redirect URI or without PKCE', async () => {
    const base = `${env.stack.baseUrl}/local-issuer/authorize`;
    const good = {
      response_type: 'code',
      client_id: LOCAL_AUDIENCE,
      redirect_uri: `${env.stack.baseUrl}/privacy`,
      state: 's',
      code_challenge_method: 'S256',
      code_challenge: 'abc',
    };
    expect((await fetch(`${base}?${new URLSearchParams(good)}`)).status).toBe(200);
    for (const bad of [
      { client_id: 'other' },
      { redirect_uri: 'https://evil.example/privacy' },
      { redirect_uri: `${env.stack.baseUrl}/v1/me` },
      { code_challenge_method: 'plain' },
    ]) {
      expect((await fetch(`${base}?${new URLSearchParams({ ...good, ...bad })}`)).status).toBe(400);
    }
    const token = await fetch(`${env.stack.baseUrl}/local-issuer/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: LOCAL_AUDIENCE, code: 'x' }),
    });
    expect(token.status).toBe(400);
  });
});

describe('the local issuer', () => {
  const pkce = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    redirect: 'manual' as const,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });

  it('gives a one-time code for the PKCE verifier it was issued to, and refuses a bad account name', async () => {
    const redirect = `${env.stack.baseUrl}/privacy`;
    const signIn = (verifier: string, account = 'issuer-check') =>
      fetch(
        `${env.stack.baseUrl}/local-issuer/authorize`,
        form({
          client_id: LOCAL_AUDIENCE,
          redirect_uri: redirect,
          state: 'st',
          code_challenge_method: 'S256',
          code_challenge: pkce(verifier),
          account,
          method: 'google',
          lang: 'en',
        }),
      );
    const exchange = (code: string, verifier: string) =>
      fetch(
        `${env.stack.baseUrl}/local-issuer/token`,
        form({
          grant_type: 'authorization_code',
          client_id: LOCAL_AUDIENCE,
          code,
          redirect_uri: redirect,
          code_verifier: verifier,
        }),
      );
    const codeOf = (response: Response) =>
      new URL(response.headers.get('location')!).searchParams.get('code')!;

    const bad = await signIn('v'.repeat(43), 'x');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('aria-invalid="true"');

    const first = await signIn('a'.repeat(43));
    expect(first.status).toBe(303);
    expect(new URL(first.headers.get('location')!).searchParams.get('state')).toBe('st');
    // The wrong verifier spends the code: the right one cannot use it afterwards.
    const firstCode = codeOf(first);
    expect((await exchange(firstCode, 'b'.repeat(43))).status).toBe(400);
    expect((await exchange(firstCode, 'a'.repeat(43))).status).toBe(400);

    const second = await signIn('c'.repeat(43));
    const secondCode = codeOf(second);
    const tokens = await exchange(secondCode, 'c'.repeat(43));
    expect(tokens.status).toBe(200);
    expect(tokens.headers.get('set-cookie')).toBeNull();
    const { id_token: idToken } = (await tokens.json()) as { id_token: string };
    const me = await fetch(`${env.stack.baseUrl}/v1/me`, { headers: { authorization: `Bearer ${idToken}` } });
    expect(me.status).toBe(404); // a valid token of someone who has not joined
    expect((await exchange(secondCode, 'c'.repeat(43))).status).toBe(400);
  });
});

describe('signing in and languages', () => {
  it('speaks Korean by default and English by ?lang= or the browser language, and signs in with PKCE', async () => {
    const korean = await env.context('ko-KR');
    const page = await korean.newPage();
    await page.goto(`${env.stack.baseUrl}/privacy`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('개인정보 보호 센터');
    expect(await page.getAttribute('html', 'lang')).toBe('ko');
    await expectAccessible(page);
    await page.locator('[data-lang=en]').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Privacy center');
    expect(new URL(page.url()).searchParams.get('lang')).toBe('en');

    const english = await env.context('en-US');
    const other = await english.newPage();
    await other.goto(`${env.stack.baseUrl}/privacy`);
    await expect.poll(() => other.locator('h1').textContent()).toBe('Privacy center');
    await other.goto(`${env.stack.baseUrl}/privacy?lang=ko`);
    await expect.poll(() => other.locator('h1').textContent()).toBe('개인정보 보호 센터');

    // The sign-in: to the issuer's page and back, the code exchanged and gone from the address bar.
    await page.locator('#welcome button.primary').click();
    await page.waitForURL(/\/local-issuer\/authorize/);
    expect(new URL(page.url()).searchParams.get('code_challenge_method')).toBe('S256');
    await expectAccessible(page);
    await signInThroughPage(page, { account: 'pages-visitor', method: 'google' });
    await page.waitForURL(/\/privacy\?lang=en$/);
    await expect.poll(() => page.locator('[role=alert]').first().textContent()).toContain('not a member');
    expect(page.url()).not.toContain('code=');
    expect(await page.evaluate('document.cookie')).toBe('');
    expect(await page.evaluate('localStorage.length')).toBe(0);
    await korean.close();
    await english.close();
  });

  it("signs an officer in on the console with the privacy-officer group, the box ticked by the console's request", async () => {
    const context = await env.context('en-US');
    const page = await context.newPage();
    await page.goto(`${env.stack.baseUrl}/console`);
    await page.locator('main button.primary').click();
    await page.waitForURL(/\/local-issuer\/authorize/);
    expect(await page.locator('#officer').isChecked()).toBe(true);
    await signInThroughPage(page, { account: 'pages-officer', method: 'google', officer: true });
    await page.waitForURL(/\/console\?lang=en$/);
    await expect.poll(() => page.evaluate(`sessionStorage.getItem('privacy.session')`)).toBeTruthy();
    const session = JSON.parse((await page.evaluate(`sessionStorage.getItem('privacy.session')`)) as string);
    expect(session.groups).toEqual(['privacy-officer']);
    // The token the page holds opens officer routes.
    const requests = await fetch(`${env.stack.baseUrl}/v1/admin/requests`, {
      headers: { authorization: `Bearer ${session.idToken}` },
    });
    expect(requests.status).toBe(200);
    await context.close();
  });
});
