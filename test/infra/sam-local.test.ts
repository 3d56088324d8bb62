/**
 * The template `sam local` runs: the emulator switch (AWS_ENDPOINT_URL) is declared in every
 * function only with `-c local=true`, never in the default synthesis, and `sam build` accepts the
 * bundled template. `sam build` is the SAM CLI's own (aws-sam-cli, pinned in .ci/run).
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrivacyApp } from '../../lib/app-factory';
import { DeploymentError, emulatorSwitchOf } from '../../lib/settings';
import { ENV } from '../../model/resources';
import { synthesizeForSam } from '../../scripts/sam/template';
import { type Cfn, synthesize } from './synth';

/** The SAM CLI version .ci/run installs. */
const SAM_VERSION = '1.170.0';

/** The `sam` executable: $SAM_CLI, the CI's virtual environment, or PATH. */
function samExecutable(): string {
  const candidates = [
    process.env.SAM_CLI,
    resolve('.venv-sam/bin/sam'),
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'sam')),
  ].filter((c): c is string => Boolean(c));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(
    `sam is not installed: python3 -m venv .venv-sam && .venv-sam/bin/pip install aws-sam-cli==${SAM_VERSION}`,
  );
}

const functionsOf = (resources: Record<string, Cfn>) =>
  Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');

const scratch = mkdtempSync(join(tmpdir(), 'privacy-sam-build-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the emulator switch', () => {
  it('is absent from the default synthesis of both profiles', () => {
    for (const profile of ['littleone', 'lgcns'] as const) {
      const functions = functionsOf(synthesize(profile).json.Resources);
      expect(functions.length).toBeGreaterThan(30);
      for (const [id, resource] of functions) {
        expect(Object.keys(resource.Properties?.Environment?.Variables ?? {}), id).not.toContain(
          ENV.endpoint,
        );
      }
    }
  });

  it('is declared, empty, in every function of ours with -c local=true', () => {
    const { template, functions: ours } = synthesizeForSam('lgcns', { outdir: join(scratch, 'lgcns') });
    const functions = functionsOf(template.Resources).filter(([id]) =>
      ours.some((f) => f.logicalId === id && f.handler),
    );
    expect(functions.length).toBeGreaterThan(30);
    for (const [id, resource] of functions) {
      // Empty: the SDK keeps its regional endpoint unless SAM's env-vars file sets one.
      expect(resource.Properties?.Environment?.Variables?.[ENV.endpoint], id).toBe('');
    }
  });

  it('takes true or false, and refuses anything else in one line', () => {
    const read = (value: unknown) => emulatorSwitchOf((key) => (key === 'local' ? value : undefined));
    expect(read(undefined)).toBe(false);
    expect(read('false')).toBe(false);
    expect(read('true')).toBe(true);
    expect(read(true)).toBe(true);
    expect(() => read('yes')).toThrow(DeploymentError);
    expect(() =>
      createPrivacyApp({
        context: { profile: 'lgcns', local: 'yes', 'aws:cdk:bundling-stacks': [] },
        env: {},
      }),
    ).toThrow('Context local must be true or false.');
  });
});

describe('sam build', () => {
  it('builds the bundled local template of littleone: every function finds its bundle', () => {
    const sam = samExecutable();
    const synthStarted = Date.now();
    const synthesized = synthesizeForSam('littleone', { bundle: true, outdir: join(scratch, 'littleone') });
    const synthMs = Date.now() - synthStarted;
    const buildDir = join(scratch, 'littleone-build');
    const started = Date.now();
    execFileSync(sam, ['build', '-t', synthesized.templateFile, '--build-dir', buildDir], {
      cwd: scratch,
      env: { ...process.env, SAM_CLI_TELEMETRY: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const buildMs = Date.now() - started;
    const built = readFileSync(join(buildDir, 'template.yaml'), 'utf8');
    // SAM keeps each pre-bundled asset where CDK staged it, relative to the built template.
    const assets = [...built.matchAll(/aws:asset:path: (\S+)/g)].map((m) => resolve(buildDir, m[1]!));
    expect(assets).toHaveLength(synthesized.functions.length);
    for (const asset of assets) expect(existsSync(join(asset, 'index.mjs')), asset).toBe(true);
    expect(built.match(/AWS_ENDPOINT_URL: ''/g)).toHaveLength(
      synthesized.functions.filter((f) => f.handler).length,
    );
    console.info(
      `sam build: ${synthesized.functions.length} functions, synth with bundling ${synthMs} ms, sam build ${buildMs} ms`,
    );
  });
});
