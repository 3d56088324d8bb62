/**
 * The local issuer's sign-in page: what Cognito's hosted UI does for the pages, locally. The
 * authorization code flow with PKCE (S256), one-time codes living a minute, redirect URIs limited
 * to the front's own pages. The account is created in the local user pool as Cognito would at
 * first sign-in, so withdrawal has a real account to delete. Nothing here is secret: anyone
 * reaching the local front can sign in as anyone, as with `npm run token`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Language } from '../policy/i18n';
import type { SignInMethod } from '../policy/schema';
import { ensureLocalAccount } from './accounts';
import { type IssuerKey, LOCAL_AUDIENCE, signIdToken } from './issuer';

/** The group officers belong to (model/routes/route.ts names it for the API). */
const OFFICER_GROUP = 'privacy-officer';
const CODE_TTL_MS = 60_000;

/** What the sign-in endpoints need of the stack. */
export interface SignInContext {
  readonly issuerKey: IssuerKey;
  /** The issuer URL the front verifies tokens against. */
  readonly issuer: () => string;
  readonly port: () => number;
  readonly methods: readonly SignInMethod[];
  readonly endpoint: string;
  readonly userPoolId: string;
  /** Paths the pages are served at (their redirect URIs), e.g. /privacy. */
  readonly pagePaths: readonly string[];
}

/** A response the front writes as it is. */
export interface SignInResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

interface Grant {
  readonly idToken: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly expires: number;
}

const TEXT = {
  ko: {
    title: '로컬 로그인',
    intro: '로컬 스택의 로그인 화면입니다. 배포된 서비스에서는 Cognito 로그인 화면이 이 역할을 합니다.',
    account: '계정 이름',
    accountHint: '영문, 숫자, 하이픈으로 3~64자. 처음 쓰는 이름이면 계정이 만들어집니다.',
    method: '로그인 방법',
    officer: '개인정보 보호책임자(privacy-officer 그룹)로 로그인',
    submit: '로그인',
    bad: '계정 이름을 확인해 주세요: 영문, 숫자, 하이픈으로 3~64자입니다.',
    password: '아이디와 비밀번호',
  },
  en: {
    title: 'Local sign-in',
    intro: "The local stack's sign-in page. Deployed, Cognito's hosted sign-in does this.",
    account: 'Account name',
    accountHint: 'Letters, digits and hyphens, 3 to 64. A new name creates the account.',
    method: 'Sign-in method',
    officer: 'Sign in as a privacy officer (privacy-officer group)',
    submit: 'Sign in',
    bad: 'Check the account name: letters, digits and hyphens, 3 to 64.',
    password: 'User name and password',
  },
} as const;

const METHOD_LABELS: Record<SignInMethod, string> = { google: 'Google', apple: 'Apple', password: '' };
const ACCOUNT = /^[A-Za-z0-9-]{3,64}$/;

/** The sign-in page's style sheet (the CSP allows no inline style). */
export const SIGN_IN_CSS = `body{font-family:system-ui,"NanumGothic",sans-serif;margin:0;background:#f3f5f8;color:#1b1f24;line-height:1.5}
main{max-width:28rem;margin:0 auto;padding:1rem}form{background:#fff;border:1px solid #c9d1db;border-radius:8px;padding:1rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}input[type=text]{font:inherit;width:100%;padding:.6rem;border:1px solid #6b7480;border-radius:8px;box-sizing:border-box}
fieldset{border:0;padding:0;margin:.75rem 0}legend{font-weight:600}.choice label{display:inline;font-weight:400;margin-left:.25rem}
.choice{margin:.25rem 0}p.hint{margin:0;color:#4a5361;font-size:.9rem}p.error{color:#a50e0e;font-weight:600}
button{font:inherit;min-height:2.75rem;padding:.5rem 1rem;margin-top:1rem;border-radius:8px;border:1px solid #0b57d0;background:#0b57d0;color:#fff;width:100%}`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function language(value: string | null): Language {
  return value === 'en' ? 'en' : 'ko';
}

/** The sign-in endpoints of one front. */
export function createSignIn(context: SignInContext) {
  const grants = new Map<string, Grant>();

  const allowedRedirect = (uri: string | null): boolean => {
    if (!uri) return false;
    try {
      const url = new URL(uri);
      return (
        url.protocol === 'http:' &&
        ['localhost', '127.0.0.1'].includes(url.hostname) &&
        Number(url.port) === context.port() &&
        url.search === '' &&
        context.pagePaths.includes(url.pathname)
      );
    } catch {
      return false;
    }
  };

  const problem = (status: number, error: string): SignInResponse => ({
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ error }),
  });

  const form = (params: URLSearchParams, error?: string): SignInResponse => {
    const lang = language(params.get('lang'));
    const t = TEXT[lang];
    const hidden = ['client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method', 'lang']
      .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name) ?? '')}">`)
      .join('');
    const officer = (params.get('redirect_uri') ?? '').endsWith('/console');
    const methods = context.methods
      .map(
        (m, i) =>
          `<div class="choice"><input type="radio" id="method-${m}" name="method" value="${m}"${i === 0 ? ' checked' : ''}><label for="method-${m}">${escapeHtml(METHOD_LABELS[m] || t.password)}</label></div>`,
      )
      .join('');
    const body = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${t.title}</title>
<link rel="stylesheet" href="sign-in.css"></head><body><main><h1>${t.title}</h1><p>${t.intro}</p>
<form method="post" action="authorize">${hidden}
${error ? `<p class="error" role="alert" id="account-error">${escapeHtml(error)}</p>` : ''}
<label for="account">${t.account}</label><p class="hint" id="account-hint">${t.accountHint}</p>
<input type="text" id="account" name="account" autocomplete="username" required aria-describedby="account-hint${error ? ' account-error' : ''}"${error ? ' aria-invalid="true"' : ''}>
<fieldset><legend>${t.method}</legend>${methods}</fieldset>
<div class="choice"><input type="checkbox" id="officer" name="officer" value="yes"${officer ? ' checked' : ''}><label for="officer">${t.officer}</label></div>
<button type="submit">${t.submit}</button></form></main></body></html>`;
    return { status: error ? 400 : 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body };
  };

  return {
    /** GET authorize: the form, once the request names our client, one of our pages and a PKCE challenge. */
    page(params: URLSearchParams): SignInResponse {
      if (params.get('client_id') !== LOCAL_AUDIENCE) return problem(400, 'invalid_client');
      if (!allowedRedirect(params.get('redirect_uri'))) return problem(400, 'invalid_redirect_uri');
      if (params.get('response_type') !== 'code') return problem(400, 'unsupported_response_type');
      if (params.get('code_challenge_method') !== 'S256' || !params.get('code_challenge'))
        return problem(400, 'invalid_request');
      return form(params);
    },

    /** POST authorize: the account signs in; back to the page with a one-time code. */
    async submit(body: string): Promise<SignInResponse> {
      const params = new URLSearchParams(body);
      const redirectUri = params.get('redirect_uri');
      if (params.get('client_id') !== LOCAL_AUDIENCE || !allowedRedirect(redirectUri))
        return problem(400, 'invalid_request');
      const challenge = params.get('code_challenge') ?? '';
      if (params.get('code_challenge_method') !== 'S256' || challenge === '')
        return problem(400, 'invalid_request');
      const account = (params.get('account') ?? '').trim();
      if (!ACCOUNT.test(account)) return form(params, TEXT[language(params.get('lang'))].bad);
      const method = (params.get('method') ?? context.methods[0]) as SignInMethod;
      if (!context.methods.includes(method)) return problem(400, 'invalid_request');
      const officer = params.get('officer') === 'yes';
      // Cognito names a federated account after its provider; officers have native accounts.
      const username = officer
        ? account
        : method === 'google'
          ? `google_${account}`
          : method === 'apple'
            ? `signinwithapple_${account}`
            : account;
      const sub = await ensureLocalAccount(context.endpoint, context.userPoolId, username);
      const idToken = await signIdToken(context.issuerKey, context.issuer(), sub, {
        method: officer ? 'password' : method,
        username,
        ...(officer ? { groups: [OFFICER_GROUP] } : {}),
      });
      const code = randomBytes(24).toString('base64url');
      const now = Date.now();
      for (const [key, grant] of grants) if (grant.expires < now) grants.delete(key);
      grants.set(code, { idToken, redirectUri: redirectUri!, challenge, expires: now + CODE_TTL_MS });
      const back = new URL(redirectUri!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', params.get('state') ?? '');
      return { status: 303, headers: { location: back.toString() }, body: '' };
    },

    /** POST token: the code, once, for the verifier whose challenge it was issued to. */
    token(body: string): SignInResponse {
      const params = new URLSearchParams(body);
      const code = params.get('code') ?? '';
      const grant = grants.get(code);
      grants.delete(code);
      if (params.get('grant_type') !== 'authorization_code') return problem(400, 'unsupported_grant_type');
      if (params.get('client_id') !== LOCAL_AUDIENCE) return problem(400, 'invalid_client');
      if (!grant || grant.expires < Date.now() || grant.redirectUri !== params.get('redirect_uri'))
        return problem(400, 'invalid_grant');
      const verifier = params.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (challenge !== grant.challenge) return problem(400, 'invalid_grant');
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id_token: grant.idToken, token_type: 'Bearer', expires_in: 3600 }),
      };
    },
  };
}
