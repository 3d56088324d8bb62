/**
 * The local stack's CLIs as a tester runs them (`npm run token | outbox | vault | catalogue |
 * job | silos | events`): each is spawned as its own process against a running stack on moto, found through its
 * state file as `npm start` leaves it, and judged by its exit code, its stdout and its stderr.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxPump } from '../../local/lifecycle-events';
import { ROOT } from '../../local/state';
import { seoulDay, shiftInSeoul } from '../../model/calendar';
import { ENV } from '../../model/resources';
import { loadCatalogue } from '../../policy/catalogue';
import { startTestStack, type TestStack, writeLocalState } from './harness';
import { tablesOf } from './inactivity-fixtures';

const PROFILE = 'littleone';
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const DAY = 86_400_000;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let stack: TestStack;
let dir: string;
let stateFile: string;

/** Runs `local/<cli>.ts` with `args` against the test stack, as `npm run -s <cli> -- args` does. */
function cli(name: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [join(ROOT, 'local', `${name}.ts`), ...args], {
      cwd: ROOT,
      env: { ...process.env, LOCAL_STACK_STATE: stateFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * What a failed run said on stderr, without Node's own warning about its version (the AWS SDK's
 * NodeVersionSupportWarning, printed whenever the SDK loads, in any order with the CLI's line).
 */
function problemLines(run: Run): string[] {
  const warning =
    /^\(node:\d+\) Warning: [\s\S]*?\(Use `node --trace-warnings \.\.\.` to show where the warning was created\)\n?/m;
  return run.stderr
    .replace(warning, '')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** A CLI run that must succeed; its stdout parsed as the one JSON value it holds. */
async function json<T>(name: string, args: readonly string[]): Promise<T> {
  const run = await cli(name, args);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as T;
}

interface TokenOut {
  token: string;
  memberId: string;
  username?: string;
  method: string;
  groups: string[];
  expiresAt: string;
  signedInAt?: string;
  signInRecorded?: boolean;
}

const call = (path: string, token: string, init: RequestInit = {}) =>
  fetch(`${stack.baseUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });

/** Joins the account `username` through the API; its token and member id. */
async function joinAccount(username: string, email: string): Promise<TokenOut> {
  const out = await json<TokenOut>('token', ['--account', username, '--method', 'apple', '--json']);
  const c = loadCatalogue(PROFILE);
  const response = await call('/v1/members', out.token, {
    method: 'POST',
    body: JSON.stringify({
      // The Apple member number comes from the sign-in (L2), not the body.
      items: { userName: 'Tester', email },
      consents: Object.fromEntries(Object.keys(c.purposes).map((p) => [p, true])),
      ageAffirmation: true,
      policyVersion: c.policy.version,
    }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return out;
}

beforeAll(async () => {
  stack = await startTestStack(PROFILE);
  dir = await mkdtemp(join(tmpdir(), 'local-clis-'));
  stateFile = join(dir, 'stack.json');
  const keyPath = join(dir, 'issuer-key.json');
  const privateJwk = {
    ...(await exportJWK(stack.issuerKey.privateKey)),
    kid: stack.issuerKey.kid,
    alg: 'RS256',
  };
  await writeFile(keyPath, JSON.stringify(privateJwk), { mode: 0o600 });
  await writeLocalState(stack, PROFILE, stateFile, {
    issuerKeyPath: keyPath,
    env: { [ENV.policyUrl]: `${stack.baseUrl}/v1/policy` },
  });
});
afterAll(async () => {
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm run token -- --json', () => {
  it('puts one JSON object on stdout, the token and the member id the user pool gave the account', async () => {
    const run = await cli('token', ['--account', 'json-reader', '--json']);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(run.stdout) as TokenOut;
    expect(out).toEqual({
      token: expect.any(String),
      memberId: decodeJwt(out.token).sub,
      username: 'json-reader',
      method: loadCatalogue(PROFILE).signIn[0],
      groups: [],
      expiresAt: expect.any(String),
    });
    expect(decodeJwt(out.token)['cognito:username']).toBe('json-reader');
    // The same account again: the same member id, as Cognito gives.
    expect((await json<TokenOut>('token', ['--account', 'json-reader', '--json'])).memberId).toBe(
      out.memberId,
    );
    expect((await call('/v1/me', out.token)).status).not.toBe(401);
  });

  it('says when a sign-in at a chosen time wrote nothing: the id is no member', async () => {
    const out = await json<TokenOut>('token', [
      '--sub',
      'no-member',
      '--signed-in-at',
      '2027-01-01T09:00:00+09:00',
      '--json',
    ]);

    expect(out).toMatchObject({
      memberId: 'no-member',
      signedInAt: '2027-01-01T00:00:00.000Z',
      signInRecorded: false,
    });
  });

  it('refuses a malformed --signed-in-at with one line naming the fix, and exit code 1', async () => {
    const run = await cli('token', ['--sub', 'someone', '--signed-in-at', 'tomorrow']);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(problemLines(run)).toEqual([
      '--signed-in-at must be an ISO date and time such as 2027-03-01T09:00:00+09:00, not "tomorrow".',
    ]);
  });
});

describe('npm run outbox', () => {
  it('gives every mail the time the emulator accepted it, as text and with --json', async () => {
    const member = await joinAccount('outbox-reader', 'outbox@example.com');
    const before = new Date();
    const patch = await call('/v1/me', member.token, {
      method: 'PATCH',
      body: JSON.stringify({ items: { email: 'outbox-new@example.com' } }),
    });
    expect(patch.status).toBeLessThan(300);
    const after = new Date();

    const mails = await json<{ to: string[]; subject: string; body: string; time: string | null }[]>(
      'outbox',
      ['--json'],
    );
    const code = mails.find((m) => m.to.includes('outbox-new@example.com'));
    expect(code?.body).toMatch(/\d{6}/);
    expect(code?.time).not.toBeNull();
    expect(Date.parse(code!.time!)).toBeGreaterThanOrEqual(before.getTime() - 1_000);
    expect(Date.parse(code!.time!)).toBeLessThanOrEqual(after.getTime() + 1_000);
    expect(mails.every((m) => m.time !== null)).toBe(true);

    const text = await cli('outbox', []);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${code!.time}  to outbox-new@example.com  ${code!.subject}`);
    expect(text.stdout).not.toContain('keeps no send time');
  });
});

describe('G9: npm run token -- --signed-in-at, a sign-in at a chosen time', () => {
  it('stops the inactivity clock: the member who signs in after the notice is kept, the other is destroyed', async () => {
    const kept = await joinAccount('comes-back', 'back@example.com');
    const gone = await joinAccount('stays-away', 'away@example.com');
    const db = tablesOf(stack);
    const joined = new Date((await db.profile(kept.memberId))!.lastSignInAt);
    const noticeRun = new Date(joined.getTime() + 336 * DAY);

    const notice = await cli('job', ['inactivity', '--now', noticeRun.toISOString()]);
    expect(notice.code, notice.stderr).toBe(0);
    const notices = await json<{ to: string[] }[]>('outbox', ['--json']);
    expect(notices.some((m) => m.to.includes('back@example.com'))).toBe(true);
    expect(notices.some((m) => m.to.includes('away@example.com'))).toBe(true);

    const signedInAt = new Date(noticeRun.getTime() + 5 * DAY);
    const signIn = await json<TokenOut>('token', [
      '--account',
      'comes-back',
      '--method',
      'apple',
      '--signed-in-at',
      signedInAt.toISOString(),
      '--json',
    ]);
    expect(signIn).toMatchObject({
      memberId: kept.memberId,
      signedInAt: signedInAt.toISOString(),
      signInRecorded: true,
    });
    expect(decodeJwt(signIn.token).auth_time).toBe(Math.floor(signedInAt.getTime() / 1000));
    // Using the token is no second sign-in on the real clock: the chosen one stays the last.
    const me = await call('/v1/me', signIn.token);
    expect(me.status).toBe(200);
    expect((await db.profile(kept.memberId))?.lastSignInAt).toBe(signedInAt.toISOString());
    expect((await db.profile(kept.memberId))?.inactivity).toBeUndefined();

    const destruction = await cli('job', [
      'inactivity',
      '--now',
      new Date(joined.getTime() + 367 * DAY).toISOString(),
    ]);
    expect(destruction.code, destruction.stderr).toBe(0);

    expect(await db.profile(kept.memberId)).toBeDefined();
    expect(await db.profile(gone.memberId)).toBeUndefined();
  });
});

describe('L7/G7: npm run vault and the retention job', () => {
  it('lists ids, classes and expiries only; the retention job reports what it destroyed by class', async () => {
    const member = await joinAccount('vault-leaver', 'vault-leaver@example.com');
    const withdrawal = await call('/v1/me', member.token, { method: 'DELETE' });
    expect(withdrawal.status).toBe(200);

    const run = await cli('vault', ['--member', member.memberId, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const listed = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(listed.map((e) => e.retentionClass).sort()).toEqual([
      'contract-records',
      'withdrawal-receipt',
      'withdrawn-email',
    ]);
    for (const entry of listed) {
      expect(Object.keys(entry).sort()).toEqual([
        'createdAt',
        'expiresAt',
        'expiresOn',
        'held',
        'memberId',
        'record',
        'retentionClass',
      ]);
      expect(entry).toMatchObject({ memberId: member.memberId, held: true });
    }
    const text = await cli('vault', ['--member', member.memberId]);
    expect(text.stdout).toMatch(/withdrawn-email +kept until /);
    expect(`${run.stdout}${text.stdout}`).not.toMatch(/vault-leaver@example|Tester|000333/);

    const email = listed.find((e) => e.retentionClass === 'withdrawn-email')!;
    const dayAfter = shiftInSeoul(new Date(String(email.expiresAt)), { days: 1 });
    const late = await json<Record<string, unknown>[]>('vault', [
      '--member',
      member.memberId,
      '--now',
      dayAfter.toISOString(),
      '--json',
    ]);
    expect(late.find((e) => e.retentionClass === 'withdrawn-email')?.held).toBe(false);

    const retention = await cli('job', ['retention', '--now', dayAfter.toISOString()]);
    expect(retention.code, retention.stderr).toBe(0);
    expect(retention.stdout).toContain('"deleted:withdrawn-email":1');
    expect(retention.stdout).toContain('  deleted by class: withdrawn-email 1\n');
    const left = await json<Record<string, unknown>[]>('vault', ['--member', member.memberId, '--json']);
    expect(left.map((e) => e.retentionClass).sort()).toEqual(['contract-records', 'withdrawal-receipt']);

    const rerun = await cli('job', ['retention', '--now', dayAfter.toISOString()]);
    expect(rerun.stdout).toContain('  deleted by class: none\n');
  });

  it('refuses a malformed --now with one line and exit code 1', async () => {
    const run = await cli('vault', ['--now', 'soon']);

    expect(run.code).toBe(1);
    expect(problemLines(run)).toEqual([expect.stringMatching(/^--now must be an ISO date .*not "soon"\.$/)]);
  });
});

describe('L7/G7: npm run silos, the silo queue run through its worker', () => {
  it("erases the withdrawn member's silos, lists what the custom system was asked, and its answer completes the receipt", async () => {
    const member = await joinAccount('silo-leaver', 'silo-leaver@example.com');
    const withdrawal = await call('/v1/me', member.token, { method: 'DELETE' });
    expect(withdrawal.status).toBe(200);
    const { drained, asked } = await json<{
      drained: { succeeded: number; failed: number };
      asked: { memberId: string; answerPath: string; token: string; silo: string }[];
    }>('silo-requests', ['--json']);
    expect(drained.succeeded).toBeGreaterThanOrEqual(3);
    expect(drained.failed).toBe(0);
    const mine = asked.filter((a) => a.memberId === member.memberId);
    expect(mine.map((a) => a.silo)).toEqual(['billing']);
    const answer = await fetch(`${stack.baseUrl}${mine[0]!.answerPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: mine[0]!.token, outcome: 'nothing-held' }),
    });
    expect(await answer.json()).toMatchObject({ taken: true, complete: true });
    const again = await call('/v1/me', member.token, { method: 'DELETE' });
    const { receipt } = (await again.json()) as { receipt: { silos: { silo: string; outcome: string }[] } };
    expect(receipt.silos.map((l) => [l.silo, l.outcome])).toEqual([
      ['app-usage', 'nothing-held'],
      ['event-archive', 'nothing-held'],
      ['billing', 'nothing-held'],
    ]);
  });
});

describe('L18: npm run catalogue, the starting point of a new policy version', () => {
  it('writes the catalogue in force, which published with edits becomes the catalogue in force on its day', async () => {
    const out = join(dir, 'catalogue.json');
    const run = await cli('catalogue', ['--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    const catalogue = JSON.parse(await readFile(out, 'utf8'));
    expect(catalogue).toEqual(JSON.parse(JSON.stringify(loadCatalogue(PROFILE))));

    const effectiveDate = seoulDay(new Date(Date.now() + 8 * DAY));
    catalogue.policy = { ...catalogue.policy, version: '9.1', effectiveDate };
    catalogue.contacts.officer.phone = '02-555-0100';
    const officer = await stack.token('officer-cli', { groups: ['privacy-officer'] });
    const published = await call('/v1/admin/policy-versions', officer, {
      method: 'POST',
      headers: { 'idempotency-key': 'cli-publish-9.1' },
      body: JSON.stringify({ catalogue, effectiveDate, summary: 'The officer has a new phone number.' }),
    });
    expect(published.status, await published.clone().text()).toBe(201);

    const today = await json<{ policy: { version: string } }>('catalogue', []);
    expect(today.policy.version).toBe(loadCatalogue(PROFILE).policy.version);
    const onTheDay = await json<{ policy: { version: string }; contacts: { officer: { phone: string } } }>(
      'catalogue',
      ['--at', `${effectiveDate}T00:00:00+09:00`],
    );
    expect(onTheDay.policy.version).toBe('9.1');
    expect(onTheDay.contacts.officer.phone).toBe('02-555-0100');
  });

  it('refuses an unwritable --out with one line naming the fix', async () => {
    const run = await cli('catalogue', ['--out', join(dir, 'no-such-dir', 'c.json')]);

    expect(run.code).toBe(1);
    expect(problemLines(run)).toEqual([
      expect.stringMatching(/^Cannot write .* \(ENOENT\): choose another --out\.$/),
    ]);
  });
});

describe('npm run events', () => {
  it('prints each lifecycle event that reached the bus once, ids and purposes only, as text and with --json', async () => {
    const member = await joinAccount('event-joiner', 'event-joiner@example.com');
    // What npm start's poller does every second: the outbox stream through the publisher.
    await new OutboxPump(stack.endpoint, stack.env, PROFILE).pump();
    const text = await cli('events', []);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trim().split('\n');
    const mine = lines.filter((l) => l.includes(member.memberId));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatch(
      new RegExp(`^\\S+Z MemberJoined ${member.memberId} [0-9a-f-]{36} consented=membership,`),
    );
    expect(text.stdout).not.toMatch(/event-joiner@example.com|Tester/);
    // Taken once: a second run finds nothing new.
    const again = await cli('events', ['--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('');
  });
});
