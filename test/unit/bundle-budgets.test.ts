/**
 * Bundle-size budgets: every function bundled with the stack's own esbuild options
 * (lib/bundling.ts) stays within its budget from bench/budgets.ts, so CI fails when a change
 * grows a cold start. Figures and reasons: README "Performance", `npm run bench`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_CEILINGS, BUNDLE_TARGET_BYTES, bundleCeiling } from '../../bench/budgets';
import { type BundleResult, bundleFloor, bundleFunctions, functionHandlers } from '../../bench/bundle';

const outDir = mkdtempSync(join(tmpdir(), 'bundle-budgets-'));
let bundles: BundleResult[];
let floor: BundleResult;

beforeAll(async () => {
  bundles = await bundleFunctions(outDir);
  floor = await bundleFloor(outDir);
}, 120_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('bundle sizes', () => {
  it('bundles every function of the stack: routes, jobs and triggers', () => {
    expect(bundles.map((b) => b.name)).toEqual(functionHandlers());
    expect(bundles.length).toBeGreaterThan(15);
  });

  it('keeps every function within its budget (300 KB minified unless a recorded ceiling says why)', () => {
    const over = bundles
      .filter((b) => b.minifiedBytes > bundleCeiling(b.name))
      .map(
        (b) => `${b.name}: ${(b.minifiedBytes / 1024).toFixed(1)} KB > ${bundleCeiling(b.name) / 1024} KB`,
      );
    expect(over).toEqual([]);
  });

  it('drops a recorded ceiling once its function fits the 300 KB target', () => {
    const stale = bundles
      .filter((b) => BUNDLE_CEILINGS[b.name] && b.minifiedBytes <= BUNDLE_TARGET_BYTES)
      .map((b) => b.name);
    expect(stale).toEqual([]);
    expect(Object.keys(BUNDLE_CEILINGS).filter((name) => !functionHandlers().includes(name))).toEqual([]);
  });

  it('bundles Lambda environment credentials, not the default chain (no STS, SSO or ini parser)', () => {
    const origins = new Set(bundles.flatMap((b) => b.inputs.map((i) => i.origin)));
    for (const absent of [
      '@aws-sdk/credential-provider-node',
      '@aws-sdk/credential-provider-ini',
      '@aws-sdk/credential-provider-sso',
      '@aws-sdk/nested-clients',
    ]) {
      expect(origins).not.toContain(absent);
    }
  });

  it('leaves the SES client out of functions that never send mail', () => {
    const withSes = bundles
      .filter((b) => b.inputs.some((i) => i.origin === '@aws-sdk/client-sesv2'))
      .map((b) => b.name);
    expect(withSes.sort()).toEqual([
      'confirm-correction',
      'delete-restriction',
      'job-requests-digest',
      'patch-me',
      'post-request-action',
    ]);
  });

  it('measures against a floor that itself fits the target', () => {
    expect(floor.minifiedBytes).toBeLessThan(BUNDLE_TARGET_BYTES);
    expect(floor.gzipBytes).toBeLessThan(floor.minifiedBytes);
  });
});
