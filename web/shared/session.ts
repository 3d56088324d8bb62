/**
 * Sign-in with the authorization code flow and PKCE (Cognito hosted UI when deployed, the local
 * issuer's sign-in page locally). The ID token stays in sessionStorage only: no cookie, no
 * localStorage (G14), so it ends with the tab. A session that expires mid-task is renewed in a
 * popup, so the page, and whatever the person typed, stays as it is.
 */
import { type PageConfig, pageUrl } from './config';

const TOKEN_KEY = 'privacy.session';
const FLOW_KEY = 'privacy.signin';
const POPUP_STATE = 'popup.';
const MESSAGE_TYPE = 'privacy.signin.code';

/** What the page knows of the signed-in person: never more than the token says. */
export interface Session {
  readonly idToken: string;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
  readonly groups: readonly string[];
}

function randomText(bytes: number): string {
  const data = crypto.getRandomValues(new Uint8Array(bytes));
  return base64url(data);
}

function base64url(data: Uint8Array): string {
  let text = '';
  for (const byte of data) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

function claimsOf(idToken: string): { exp?: number; 'cognito:groups'?: string[] } {
  try {
    const payload = idToken.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(decodeURIComponent(escape(json))) as { exp?: number };
  } catch {
    return {};
  }
}

/** The session of this tab, if any. */
export function currentSession(): Session | undefined {
  const raw = sessionStorage.getItem(TOKEN_KEY);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Session;
  } catch {
    sessionStorage.removeItem(TOKEN_KEY);
    return undefined;
  }
}

function storeSession(idToken: string): Session {
  const claims = claimsOf(idToken);
  const session: Session = {
    idToken,
    expiresAt: claims.exp ?? 0,
    groups: claims['cognito:groups'] ?? [],
  };
  sessionStorage.setItem(TOKEN_KEY, JSON.stringify(session));
  return session;
}

/** Drops the tab's session and stays on the page (e.g. the account was just deleted). */
export function dropSession(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(FLOW_KEY);
}

/** Forgets the session (sign-out); the hosted UI's session ends through its logout URL. */
export function forgetSession(config: PageConfig): void {
  dropSession();
  if (config.logoutUrl) {
    const url = new URL(config.logoutUrl);
    url.searchParams.set('client_id', config.clientId);
    url.searchParams.set('logout_uri', pageUrl());
    location.assign(url.toString());
  }
}

async function authorizeUrl(config: PageConfig, state: string, verifier: string, lang: string) {
  const url = new URL(config.authorizeUrl, location.href);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', pageUrl());
  url.searchParams.set('scope', 'openid');
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('code_challenge', await challengeOf(verifier));
  // Cognito's hosted UI reads `lang`; the local sign-in page too.
  url.searchParams.set('lang', lang);
  return url.toString();
}

/** Leaves for the sign-in page; {@link completeSignIn} finishes when it sends the person back. */
export async function signInByRedirect(config: PageConfig, lang: string): Promise<void> {
  const state = randomText(16);
  const verifier = randomText(48);
  sessionStorage.setItem(FLOW_KEY, JSON.stringify({ state, verifier, lang }));
  location.assign(await authorizeUrl(config, state, verifier, lang));
}

async function exchange(config: PageConfig, code: string, verifier: string): Promise<Session> {
  const response = await fetch(new URL(config.tokenUrl, location.href), {
    method: 'POST',
    credentials: 'omit',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code,
      redirect_uri: pageUrl(),
      code_verifier: verifier,
    }),
  });
  if (!response.ok) throw new Error(`token ${response.status}`);
  const body = (await response.json()) as { id_token?: string };
  if (!body.id_token) throw new Error('token response without id_token');
  return storeSession(body.id_token);
}

/**
 * Handles the sign-in page's answer when the URL carries one: exchanges the code, stores the
 * session and takes the code out of the address bar. Returns the language the flow began in.
 * In a re-sign-in popup it hands the code to the page that opened it and closes.
 */
export async function completeSignIn(config: PageConfig): Promise<{ lang?: string } | 'popup' | undefined> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const state = params.get('state');
  if (!code || !state) return undefined;
  if (state.startsWith(POPUP_STATE) && window.opener) {
    (window.opener as Window).postMessage({ type: MESSAGE_TYPE, code, state }, location.origin);
    window.close();
    return 'popup';
  }
  const clean = new URL(location.href);
  for (const name of ['code', 'state', 'session_state']) clean.searchParams.delete(name);
  history.replaceState(null, '', clean.toString());
  const flow = sessionStorage.getItem(FLOW_KEY);
  sessionStorage.removeItem(FLOW_KEY);
  const started = flow ? (JSON.parse(flow) as { state: string; verifier: string; lang?: string }) : undefined;
  if (!started || started.state !== state) return undefined;
  await exchange(config, code, started.verifier);
  return started.lang ? { lang: started.lang } : {};
}

/**
 * Signs in again in a popup, leaving this page (and what is typed in it) untouched. Must be
 * called from a click: browsers block popups opened otherwise.
 */
export async function signInByPopup(config: PageConfig, lang: string): Promise<Session> {
  const state = `${POPUP_STATE}${randomText(16)}`;
  const verifier = randomText(48);
  // Opened before any await, so the click still counts as the person's gesture.
  const popup = window.open('about:blank', 'privacy-signin', 'popup,width=480,height=640');
  if (!popup) throw new Error('popup blocked');
  popup.location.href = await authorizeUrl(config, state, verifier, lang);
  const code = await new Promise<string>((resolve, reject) => {
    const closed = setInterval(() => {
      if (popup.closed) {
        cleanup();
        reject(new Error('sign-in closed'));
      }
    }, 500);
    const onMessage = (event: MessageEvent) => {
      const data = event.data as { type?: string; code?: string; state?: string };
      if (event.origin !== location.origin || data?.type !== MESSAGE_TYPE || data.state !== state) return;
      cleanup();
      resolve(String(data.code));
    };
    const cleanup = () => {
      clearInterval(closed);
      window.removeEventListener('message', onMessage);
    };
    window.addEventListener('message', onMessage);
  });
  return exchange(config, code, verifier);
}
