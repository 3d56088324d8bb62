/**
 * Bringing existing members in (L1, L2/G1, G2, L11/G13, L13/G15, G7/L7, G9): `npm run import`
 * spawned as a user runs it against a stack on moto, killed at random points and rerun, and the
 * import job's handler reading its export from S3 on the same emulator. The crash run's size is
 * IMPORT_CRASH_MEMBERS (1,000 here, 10,000 in `npm run test:deep`).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../lambdas/features/import/rules';
import { clientConfig } from '../../local/bootstrap';
import { ROOT } from '../../local/state';
import { seoulDay } from '../../model/calendar';
import { inactivityBucket } from '../../model/members-table';
import { ENV } from '../../model/resources';
import { loadCatalogue } from '../../policy/catalogue';
import { invoked, startTestStack, type TestStack, writeLocalState } from './harness';
import { type Export, makeExport, plaintextIn } from './import-fixtures';
import { tablesOf } from './inactivity-fixtures';

const PROFILE = 'littleone';
/**
 * Lines of the crash run, one in 100 bad. CI imports 1,000 (about a minute on 2 cores);
 * `npm run test:deep` imports the 10,000, which takes about ten minutes on moto.
 */
const MEMBERS = Number(process.env.IMPORT_CRASH_MEMBERS ?? 1_000);
const BAD_EVERY = Number(process.env.IMPORT_CRASH_BAD_EVERY ?? 100);
/** The import's clock: after every time in the export. */
const NOW = '2026-01-01T00:00:00.000Z';

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

let stack: TestStack;
let dir: string;
let stateFile: string;

/**
 * Runs `npm run import` with `args`; with `killAtLine`, kills it (SIGKILL: no cleanup, as a
 * crash) once its progress passes that line.
 */
function importCli(args: readonly string[], killAtLine?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    // node itself with tsx's loader: the tsx command runs the script in a child of its own,
    // which a SIGKILL of the command would leave running.
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'local', 'import.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, LOCAL_STACK_STATE: stateFile, POWERTOOLS_LOG_LEVEL: 'SILENT' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const done = [...stderr.matchAll(/(\d+)\/\d+ lines/g)].map((m) => Number(m[1]));
      if (killAtLine !== undefined && Math.max(0, ...done) >= killAtLine) child.kill('SIGKILL');
    });
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

async function writeExport(name: string, exported: Export): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, exported.text);
  return file;
}

/**
 * What the tables hold of the members of `exported`: profiles, markers, babies, records and
 * consent events by member, and data keys; `members` is every item, for the plaintext scan.
 */
async function holdings(exported: Export) {
  const ours = new Set(exported.good.map((g) => g.subject));
  const tables = tablesOf(stack);
  const members = await tables.scan('members');
  const keys = (await tables.scan('keys')).filter((k) => ours.has(String(k.memberId)));
  const byMember = new Map<string, { profile: number; babies: number; records: number; consents: number }>();
  const markers: string[] = [];
  for (const item of members) {
    const pk = String(item.pk);
    if (pk.startsWith('I#') && ours.has(pk.slice(2))) markers.push(pk.slice(2));
    if (!pk.startsWith('M#') || !ours.has(pk.slice(2))) continue;
    const m = byMember.get(pk.slice(2)) ?? { profile: 0, babies: 0, records: 0, consents: 0 };
    const sk = String(item.sk);
    if (sk === 'PROFILE') m.profile++;
    else if (sk.startsWith('BABY#')) m.babies++;
    else if (sk.startsWith('REC#')) m.records++;
    else if (sk.startsWith('CONSENT#')) m.consents++;
    byMember.set(pk.slice(2), m);
  }
  return { members, keys, byMember, markers };
}

/** Fails if any personal value of `exported` is in `text`, as written or as a lookup normalizes it. */
function expectNoPlaintext(text: string, exported: Export): void {
  expect(plaintextIn(text, exported)).toEqual([]);
}

beforeAll(async () => {
  stack = await startTestStack(PROFILE);
  dir = await mkdtemp(join(tmpdir(), 'import-'));
  stateFile = join(dir, 'stack.json');
  await writeLocalState(stack, PROFILE, stateFile, { issuerKeyPath: join(dir, 'issuer-key.json') });
});

afterAll(async () => {
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the import job (deployed: an export object in S3)', () => {
  it('L1/G1 G7/L7: imports an object from S3, reports its bad lines, and a second run imports nothing twice', async () => {
    // The local stack's imports bucket, as bootstrap creates it beside the tables.
    const bucket = stack.env[ENV.importsBucket]!;
    const s3 = new S3Client({ ...clientConfig(stack.endpoint), forcePathStyle: true });
    const exported = makeExport(PROFILE, 20, 10, 3);
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'imports/members.jsonl', Body: exported.text }),
    );
    s3.destroy();
    const { handler } = await import('../../lambdas/handlers/job-import');
    const run = invoked('job-import', stack.env, () => handler({ key: 'imports/members.jsonl', now: NOW }));
    const first = await run();
    expect(first.failed).toEqual([]);
    expect(first.imported).toBe(exported.good.length);
    expect(first.bad.map((b) => b.line)).toEqual(exported.bad.map((b) => b.line));
    expectNoPlaintext(JSON.stringify(first), exported);
    const second = await run();
    expect({ imported: second.imported, skipped: second.skipped }).toEqual({
      imported: 0,
      skipped: exported.good.length,
    });
    const held = await holdings(exported);
    for (const g of exported.good) expect(held.byMember.get(g.subject)?.profile).toBe(1);
    expect(held.keys).toHaveLength(exported.good.length);
    expectNoPlaintext(JSON.stringify(held.members), exported);
  }, 300_000);
});

describe('npm run import', () => {
  it(
    `L1/G1 L13/G15 G7/L7 G9: ${MEMBERS} members with one line in ${BAD_EVERY} bad, killed at random points and rerun: every good line imported exactly once, every bad line reported by line and field, nothing in plaintext`,
    async () => {
      const exported = makeExport(PROFILE, MEMBERS, BAD_EVERY, 1);
      // The export itself holds every personal value: the finder below must see each of them.
      expect(plaintextIn(exported.text, exported)).toHaveLength(new Set(exported.secrets).size);
      const file = await writeExport('members.jsonl', exported);
      const args = ['--profile', PROFILE, '--file', file, '--json', '--rate', '1000', '--now', NOW];

      // Three crashes at random points, each further on than the last, all before the last
      // members are in (eight may be in flight when the process dies).
      const points = [Math.random(), Math.random(), Math.random()]
        .map((f) => Math.ceil((0.1 + 0.65 * f) * MEMBERS))
        .sort((a, b) => a - b);
      const afterCrash: number[] = [];
      for (const point of points) {
        const run = await importCli(args, point);
        expect(run.signal).toBe('SIGKILL');
        afterCrash.push((await holdings(exported)).markers.length);
      }
      // Each crash stopped a run part-way: some members in, not all.
      expect(afterCrash[0]).toBeGreaterThan(0);
      expect(afterCrash[2]).toBeLessThan(exported.good.length);

      const final = await importCli(args);
      expect(final.code).toBe(1);
      const report = JSON.parse(final.stdout) as ImportReport;
      expect(report.failed).toEqual([]);
      expect(report.lines).toBe(MEMBERS + 1);
      // What the crashed runs wrote is skipped, the rest imported: each good line once.
      expect(report.skipped).toBe(afterCrash[2]);
      expect(report.imported + report.skipped).toBe(exported.good.length);
      expect(report.bad.map((b) => b.line)).toEqual(exported.bad.map((b) => b.line));
      for (const [i, b] of report.bad.entries()) {
        expect(
          b.problems.map((p) => p.field),
          `line ${b.line}`,
        ).toContain(exported.bad[i]!.field);
      }

      const held = await holdings(exported);
      expect(held.markers.sort()).toEqual(exported.good.map((g) => g.subject).sort());
      expect(held.keys).toHaveLength(exported.good.length);
      expect(held.byMember.size).toBe(exported.good.length);
      const purposes = Object.keys(loadCatalogue(PROFILE).purposes).length;
      for (const g of exported.good) {
        expect(held.byMember.get(g.subject), `line ${g.line}`).toEqual({
          profile: 1,
          babies: g.babies,
          records: g.records,
          consents: purposes,
        });
      }
      // Nothing of any line in any table, nor in what the command printed.
      expectNoPlaintext(JSON.stringify(held.members), exported);
      expectNoPlaintext(JSON.stringify(held.keys), exported);
      expectNoPlaintext(final.stdout + final.stderr, exported);

      console.info(
        `import crash: ${MEMBERS + 1} lines (${exported.good.length} good, ${exported.bad.length} bad), killed at lines ${points.join(', ')}: ${afterCrash.join(', ')} members in after each crash; the rerun imported ${report.imported} and skipped ${report.skipped}`,
      );

      // A rerun of a finished import writes nothing.
      const again = JSON.parse((await importCli(args)).stdout) as ImportReport;
      expect({ imported: again.imported, skipped: again.skipped }).toEqual({
        imported: 0,
        skipped: exported.good.length,
      });
    },
    Math.max(600_000, MEMBERS * 240),
  );

  it('G9: the inactivity clock of an imported member runs from the imported last sign-in', async () => {
    const c = loadCatalogue(PROFILE);
    const lines = [
      // Signed in recently: the notice falls due a year on, as for a member who signed in then.
      { lastSignInAt: '2025-05-01T09:00:00.000Z' },
      // Signed in long ago: due already, so found by the next daily run (today's bucket).
      { lastSignInAt: '2023-01-01T09:00:00.000Z', joinedAt: '2022-06-01T00:00:00.000Z' },
    ];
    const base = makeExport(PROFILE, 2, 1_000, 7);
    const texts = base.text
      .trim()
      .split('\n')
      .slice(0, 2)
      .map((t, i) => JSON.stringify({ ...JSON.parse(t), ...lines[i] }));
    const file = join(dir, 'clock.jsonl');
    await writeFile(file, `${texts.join('\n')}\n`);
    const run = await importCli(['--profile', PROFILE, '--file', file, '--json', '--now', NOW]);
    expect(run.code, run.stderr).toBe(0);
    const tables = tablesOf(stack);
    const recent = await tables.profile(base.good[0]!.subject);
    const old = await tables.profile(base.good[1]!.subject);
    expect(recent?.lastSignInAt).toBe(lines[0]!.lastSignInAt);
    expect(recent?.lastSignInDay).toBe('2025-05-01');
    expect(c.inactivity.period).toEqual({ years: 1 });
    expect(recent?.inactiveOn).toBe(inactivityBucket('2026-04-01', base.good[0]!.subject));
    expect(old?.lastSignInAt).toBe(lines[1]!.lastSignInAt);
    expect(old?.inactiveOn).toBe(inactivityBucket(seoulDay(new Date(NOW)), base.good[1]!.subject));
  }, 120_000);

  it('refuses a profile the running stack does not serve and a file it cannot read, in one line', async () => {
    const wrong = await importCli(['--profile', 'lgcns', '--file', join(dir, 'members.jsonl')]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim().split('\n').at(-1)).toMatch(/serves "littleone", not "lgcns"/);
    const missing = await importCli(['--profile', PROFILE, '--file', join(dir, 'absent.jsonl')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n').at(-1)).toMatch(/^Cannot read .*absent\.jsonl/);
    expect(missing.stderr).not.toMatch(/\bat [\w.<>]+ \(/);
  });
});
