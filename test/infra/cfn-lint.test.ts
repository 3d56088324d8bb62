/**
 * Template hygiene: cfn-lint, AWS's CloudFormation linter, finds no error and no warning in the
 * template of any profile. A warning may be ignored only in `.cfnlintrc.yaml`, with its reason;
 * an error never. cfn-lint is a Python tool pinned here; `.ci/run` installs it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProfileName, profiles } from '../../policy/catalogue';
import { templateOnly } from './synth';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONFIG = join(ROOT, '.cfnlintrc.yaml');

/** The cfn-lint version the project's templates are checked with. */
const CFN_LINT_VERSION = '1.58.0';
const INSTALL = `python3 -m pip install cfn-lint==${CFN_LINT_VERSION}`;

/** One finding, as `cfn-lint --format json` reports it. */
interface Finding {
  readonly Level: 'Error' | 'Warning' | 'Informational';
  readonly Message: string;
  readonly Rule: { readonly Id: string };
  readonly Location: { readonly Path: readonly (string | number)[] };
}

/** The installed cfn-lint's version; throws, saying how to install it, when there is none. */
async function cfnLintVersion(): Promise<string> {
  try {
    const { stdout } = await run('cfn-lint', ['--version']);
    return stdout.trim().replace(/^cfn-lint\s+/, '');
  } catch {
    throw new Error(`cfn-lint is not installed: run \`${INSTALL}\` (CI installs it in .ci/run).`);
  }
}

/** cfn-lint's findings on one template file, with the project's configuration. */
async function lint(file: string): Promise<Finding[]> {
  try {
    const { stdout } = await run('cfn-lint', ['--config-file', CONFIG, '--format', 'json', '--', file], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(stdout || '[]') as Finding[];
  } catch (error) {
    // cfn-lint exits non-zero when it finds anything; its findings are still on stdout.
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    if (stdout?.trim().startsWith('[')) return JSON.parse(stdout) as Finding[];
    throw new Error(`cfn-lint failed on ${file}: ${stderr || String(error)}`);
  }
}

const PROFILES = Object.keys(profiles) as ProfileName[];
const dir = mkdtempSync(join(tmpdir(), 'privacy-cfn-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cfn-lint', () => {
  beforeAll(async () => {
    // Outside CI a missing linter fails here, with the command that installs it: never a skip.
    expect(await cfnLintVersion(), `cfn-lint ${CFN_LINT_VERSION} is pinned: run \`${INSTALL}\``).toBe(
      CFN_LINT_VERSION,
    );
  });

  // cfn-lint takes up to a minute on a template of 300 resources, longer on a busy machine.
  it.each(PROFILES)(
    'finds no error and no warning in the %s template',
    { timeout: 400_000 },
    async (profile) => {
      const file = join(dir, `${profile}.template.json`);
      writeFileSync(file, JSON.stringify(templateOnly(profile).json, null, 1));
      const findings = await lint(file);
      const count = (level: Finding['Level']) => findings.filter((f) => f.Level === level).length;
      console.log(`cfn-lint ${profile}: ${count('Error')} errors, ${count('Warning')} warnings`);
      expect(
        findings
          .filter((f) => f.Level !== 'Informational')
          .map((f) => `${f.Rule.Id} ${f.Location.Path.join('/')}: ${f.Message}`),
      ).toEqual([]);
    },
  );

  it('ignores only warnings, each with its reason on the line above', () => {
    const lines = readFileSync(CONFIG, 'utf8').split('\n');
    const ignored = lines.flatMap((line, i) => {
      const id = /^\s+-\s+(\S+)/.exec(line)?.[1];
      return id ? [{ id, reason: lines[i - 1]?.trim() ?? '' }] : [];
    });
    expect(ignored.length).toBeGreaterThan(0);
    for (const { id, reason } of ignored) {
      expect(id, 'only warnings may be ignored').toMatch(/^W\d+$/);
      expect(reason, `${id} needs a reason`).toMatch(/^#\s*\S/);
    }
  });
});
