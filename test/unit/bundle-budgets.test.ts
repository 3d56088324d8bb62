/**
 * Bundle-size budgets: every function bundled with the stack's own esbuild options
 * (lib/bundling.ts), for each shipped profile, stays within its budget from bench/budgets.ts, so
 * CI fails when a change grows a cold start. Figures and reasons: README "Performance",
 * `npm run bench`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_CEILINGS, BUNDLE_TARGET_BYTES, bundleCeiling } from '../../bench/budgets';
import { type BundleResult, bundleFloor, bundleFunctions, functionHandlers } from '../../bench/bundle';
import { type ProfileName, profiles } from '../../policy/catalogue';

const outDir = mkdtempSync(join(tmpdir(), 'bundle-budgets-'));
const shipped = Object.keys(profiles) as ProfileName[];
const bundles = new Map<ProfileName, BundleResult[]>();
let floor: BundleResult;

beforeAll(async () => {
  for (const profile of shipped) bundles.set(profile, await bundleFunctions(join(outDir, profile), profile));
  floor = await bundleFloor(outDir);
}, 180_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const every = () => shipped.flatMap((profile) => bundles.get(profile)!.map((b) => ({ profile, ...b })));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const holds = (b: BundleResult, origin: string) => b.inputs.some((i) => i.origin === origin);

describe('bundle sizes', () => {
  it('bundles every function of the stack for every profile: routes, jobs, workers and triggers', () => {
    for (const profile of shipped)
      expect(bundles.get(profile)!.map((b) => b.name)).toEqual(functionHandlers());
    expect(functionHandlers().length).toBeGreaterThan(30);
  });

  it('keeps every function within 300 KB minified, or within the ceiling a recorded reason gives it', () => {
    const over = every()
      .filter((b) => b.minifiedBytes > bundleCeiling(b.name))
      .map((b) => `${b.name} (${b.profile}): ${kb(b.minifiedBytes)} > ${kb(bundleCeiling(b.name))}`);
    expect(over).toEqual([]);
  });

  it('drops a recorded ceiling once its function fits the target on every profile', () => {
    const stale = Object.keys(BUNDLE_CEILINGS).filter(
      (name) => !every().some((b) => b.name === name && b.minifiedBytes > BUNDLE_TARGET_BYTES),
    );
    expect(stale).toEqual([]);
  });

  it('bundles Lambda environment credentials, not the default chain (no STS, SSO or ini parser)', () => {
    const origins = new Set(every().flatMap((b) => b.inputs.map((i) => i.origin)));
    for (const absent of [
      '@aws-sdk/credential-provider-node',
      '@aws-sdk/credential-provider-ini',
      '@aws-sdk/credential-provider-sso',
      '@aws-sdk/nested-clients',
    ]) {
      expect(origins).not.toContain(absent);
    }
  });

  it("bundles the SDK's endpoint cache on a Map, without mnemonist's LRU cache", () => {
    const origins = new Set(every().flatMap((b) => b.inputs.map((i) => i.origin)));
    expect(origins).toContain('@aws-sdk/endpoint-cache');
    expect(origins).not.toContain('mnemonist');
    expect(origins).not.toContain('obliterator');
  });

  it('bundles a client only into the functions that call its service', () => {
    const withClient = (client: string) =>
      bundles
        .get('littleone')!
        .filter((b) => holds(b, `@aws-sdk/client-${client}`))
        .map((b) => b.name)
        .sort();
    // Withdrawals, terminations and restrictions tell each recipient of the member's data (GDPR
    // Art. 19); an extension tells the member (Art. 12(3)); the monthly review tells the officer.
    // They mail through signed SESv2 requests (lambdas/adapters/mailer.ts), without the client.
    expect(withClient('sesv2')).toEqual([]);
    const signing = (marker: string) =>
      bundles
        .get('littleone')!
        .filter((b) => readFileSync(b.file, 'utf8').includes(marker))
        .map((b) => b.name)
        .sort();
    expect(signing('/v2/email/outbound-emails')).toEqual([
      'confirm-correction',
      'delete-me',
      'delete-restriction',
      'job-access-review',
      'job-requests-digest',
      'patch-me',
      'post-member-terminate',
      'post-request-action',
      'post-request-extension',
      'put-restriction',
      'worker-inactivity',
      'worker-policy-notices',
    ]);
    // Withdrawals delete the sign-in account with signed Cognito requests; only the trigger that
    // reads an officer's MFA setting holds the client.
    expect(withClient('cognito-identity-provider')).toEqual(['pre-token-generation']);
    expect(signing('AWSCognitoIdentityProviderService.')).toEqual([
      'delete-me',
      'post-member-terminate',
      'post-request-action',
      'worker-inactivity',
    ]);
    // Withdrawals (the member's, the officer's, termination, inactivity) and consent withdrawals
    // queue the silos' erasure, with signed SQS requests.
    expect(withClient('sqs')).toEqual([]);
    expect(signing('AmazonSQS.SendMessageBatch')).toEqual([
      'delete-me',
      'job-inactivity',
      'job-policy-notices',
      'job-usage-notice',
      'post-breach',
      'post-member-terminate',
      'post-members',
      'post-policy-version',
      'post-request-action',
      'put-consent',
      'worker-inactivity',
      'worker-policy-notices',
    ]);
    // S3 (photos, bucket silos, the import object) is reached through signed requests, signed
    // without the presigner; the multi-region signer comes with the EventBridge client alone.
    expect(withClient('s3')).toEqual([]);
    expect(withClient('eventbridge')).toEqual(['stream-outbox', 'worker-silos']);
    const holding = (origin: string) =>
      bundles
        .get('littleone')!
        .filter((b) => holds(b, origin))
        .map((b) => b.name)
        .sort();
    expect(holding('@aws-sdk/s3-request-presigner')).toEqual([]);
    expect(holding('@aws-sdk/signature-v4-multi-region')).toEqual(withClient('eventbridge'));
    // Public routes record no access, so they hold no KMS client; the policy page reads the
    // published versions (L18), so it holds DynamoDB's and nothing else.
    const sdk = (name: string) =>
      bundles
        .get('littleone')!
        .find((x) => x.name === name)!
        .inputs.filter((i) => i.origin.startsWith('@aws-sdk/client-'))
        .map((i) => i.origin);
    expect(sdk('get-openapi')).toEqual([]);
    expect(sdk('get-policy')).toEqual(['@aws-sdk/client-dynamodb']);
  });

  it('bundles the catalogue schema only where a policy version is published; its readers check the digest instead (L18)', () => {
    const code = (b: BundleResult) => readFileSync(b.file, 'utf8');
    const all = bundles.get('littleone')!;
    // A message of the schema, and one of the digest check every reader of published versions runs.
    expect(all.filter((b) => code(b).includes('must be a lower-case identifier')).map((b) => b.name)).toEqual(
      ['post-policy-version'],
    );
    const readers = all.filter((b) => code(b).includes('does not match its digest')).map((b) => b.name);
    for (const reader of [
      'get-policy',
      'get-export',
      'worker-policy-notices',
      'job-inactivity',
      'post-request-action',
    ])
      expect(readers).toContain(reader);
  });

  it('measures against a floor that itself fits the target', () => {
    expect(floor.minifiedBytes).toBeLessThan(BUNDLE_TARGET_BYTES);
    expect(floor.gzipBytes).toBeLessThan(floor.minifiedBytes);
  });
});
