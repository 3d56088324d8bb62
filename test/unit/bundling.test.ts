/**
 * What the bundler (lib/bundling.ts) changes shrinks bundles without changing what runs: the
 * rewritten SDK schemas are the same objects, the event-stream codec it leaves out is one no
 * client of the functions can reach, and a bundle's catalogue is its profile's, validated.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bundleOptions,
  HANDLED_SDK_ERRORS,
  literalTraitKeys,
  retryableErrors,
  unregisteredErrors,
} from '../../lib/bundling';
import { parseCatalogue, profiles } from '../../policy/catalogue';
import { versionedSchemaDigest } from '../../policy/schema-digest';

const require = createRequire(import.meta.url);
const ROOT = new URL('../../', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'bundling-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every AWS SDK client the product depends on. */
const clients = Object.keys(
  (JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { dependencies: object }).dependencies,
).filter((name) => name.startsWith('@aws-sdk/client-'));

function schemaModule(client: string): string {
  return join(dirname(require.resolve(`${client}/package.json`)), 'dist-es', 'schemas', 'schemas_0.js');
}

/** Bundles `source` for littleone as functions are bundled, or without the bundler's plugins. */
async function bundleSource(name: string, source: string, asShipped: boolean): Promise<string> {
  const entry = join(dir, `${name}-entry.mjs`);
  writeFileSync(entry, source);
  const bundle = `${name}-${asShipped ? 'shaken' : 'plain'}`;
  const options = bundleOptions({ [bundle]: entry }, dir, 'littleone');
  await build({
    ...options,
    sourcemap: false,
    nodePaths: [new URL('node_modules', ROOT).pathname],
    plugins: asShipped ? options.plugins! : [],
  });
  return join(dir, bundle, 'index.mjs');
}

/** A schema with its thunks (`() => Shape$`) called, so two schema graphs compare by value. */
function resolved(value: unknown, seen = new Map<unknown, unknown>()): unknown {
  if (typeof value === 'function') return resolved((value as () => unknown)(), seen);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
  seen.set(value, copy);
  for (const [k, v] of Object.entries(value)) (copy as Record<string, unknown>)[k] = resolved(v, seen);
  return copy;
}

describe('bundling the AWS SDK', () => {
  it('rewrites computed trait keys into the literals their constants hold, and nothing else', () => {
    const source = [
      'const _h = "http";',
      'const _e = "error";',
      'export var Op$ = [9, n0, _O, { [_h]: ["POST", "/v2/x", 200] }, () => In$];',
      'export var Err$ = [-3, n0, _E, { [_e]: _c,\n  [_hE]: 400 }, [_m], [0]];',
    ].join('\n');
    const out = literalTraitKeys(source);
    expect(out).toContain('{ "http": ["POST", "/v2/x", 200] }');
    expect(out).toContain('{ "error": _c');
    // An unknown constant stays computed; arrays of member names are not keys.
    expect(out).toContain('[_hE]: 400');
    expect(out).toContain('[_m], [0]');
  });

  it('leaves every schema of Cognito user pools the same object graph, only tree-shakeable', async () => {
    const source = `export * from ${JSON.stringify(schemaModule('@aws-sdk/client-cognito-identity-provider'))};`;
    const [plain, shaken] = await Promise.all([
      bundleSource('schemas', source, false),
      bundleSource('schemas', source, true),
    ]);
    const before = (await import(pathToFileURL(plain).href)) as Record<string, unknown>;
    const after = (await import(pathToFileURL(shaken).href)) as Record<string, unknown>;
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    expect(Object.keys(before).length).toBeGreaterThan(400);
    expect(resolved(after)).toEqual(resolved(before));
  });

  it('drops the Cognito operations a function does not send (over 40 KB of schemas)', async () => {
    const source =
      "import { CognitoIdentityProviderClient, AdminDeleteUserCommand } from '@aws-sdk/client-cognito-identity-provider';\n" +
      'export const send = (input) => new CognitoIdentityProviderClient({}).send(new AdminDeleteUserCommand(input));';
    const [plain, shaken] = await Promise.all([
      bundleSource('send', source, false),
      bundleSource('send', source, true),
    ]);
    const saved = readFileSync(plain).length - readFileSync(shaken).length;
    expect(saved).toBeGreaterThan(40 * 1024);
    // Of the request shapes, only AdminDeleteUser's is left.
    expect(readFileSync(shaken, 'utf8').match(/"[A-Z]\w+Request"/g)).toEqual(['"AdminDeleteUserRequest"']);
  });

  it.each(
    // The S3 client imports the codec statically (SelectObjectContent streams events): there it is
    // bundled, and its lazy import (the only one the others have) stays out (below).
    clients
      .filter((c) => c !== '@aws-sdk/client-s3')
      .map((c) => [c] as const),
  )('%s has no event-stream operation, so the codec left out of bundles is never loaded', (client) => {
    // An event-stream member carries the `streaming` trait, written as a string constant.
    expect(readFileSync(schemaModule(client), 'utf8')).not.toContain('"streaming"');
  });

  it('bundles the codec where the S3 client imports it statically, so that bundle loads on its own', async () => {
    const source =
      "import { S3Client } from '@aws-sdk/client-s3';\n" +
      "export const make = () => new S3Client({ region: 'ap-northeast-2' });";
    const file = await bundleSource('s3', source, true);
    const code = readFileSync(file, 'utf8');
    expect(code).not.toMatch(/from\s*"@smithy\/core\/event-streams"/);
    const loaded = (await import(pathToFileURL(file).href)) as { make: () => object };
    expect(loaded.make()).toBeTypeOf('object');
  });
});

describe('bundling the catalogue', () => {
  it('builds the digest of the versioned schema into a bundle, so a reader of versions holds no schema (L18)', async () => {
    const rules = new URL('lambdas/features/policy-versions/rules.ts', ROOT).pathname;
    const file = await bundleSource(
      'schema-digest',
      `export { versionedSchemaInUse } from ${JSON.stringify(rules)};`,
      true,
    );
    const { versionedSchemaInUse } = (await import(pathToFileURL(file).href)) as {
      versionedSchemaInUse: () => string;
    };
    expect(versionedSchemaInUse()).toBe(versionedSchemaDigest());
    const code = readFileSync(file, 'utf8');
    expect(code).toContain(versionedSchemaDigest());
    expect(code).not.toContain('must be a lower-case identifier');
  });
  it("holds the stack's profile only, already validated, and refuses to load another by name", async () => {
    const source = `export { loadCatalogue } from ${JSON.stringify(new URL('policy/catalogue.ts', ROOT).pathname)};`;
    const file = await bundleSource('catalogue', source, true);
    const code = readFileSync(file, 'utf8');
    const { loadCatalogue } = (await import(
      pathToFileURL(file).href
    )) as typeof import('../../policy/catalogue');
    expect(loadCatalogue('littleone')).toEqual(parseCatalogue(profiles.littleone));
    expect(() => loadCatalogue('lgcns')).toThrow('profile "lgcns" is not in this bundle');
    expect(code).not.toContain(profiles.lgcns.operator.name);
    // The validation a cold start skips: its messages are not in the bundle.
    expect(code).not.toContain('invalid entry');
  });
});

describe('bundling the AWS SDK: service errors', () => {
  /** A DynamoDB endpoint answering each GetItem with the error its table name names (`Name:status`). */
  async function errorServer(): Promise<{ url: string; close: () => void; calls: () => number }> {
    let calls = 0;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        calls++;
        const [name, status] = (JSON.parse(body) as { TableName: string }).TableName.split('.');
        const reasons =
          name === 'TransactionCanceledException'
            ? { CancellationReasons: [{ Code: 'ConditionalCheckFailed', Message: 'failed' }] }
            : {};
        res.writeHead(Number(status), { 'content-type': 'application/x-amz-json-1.0' });
        res.end(
          JSON.stringify({
            __type: `com.amazonaws.dynamodb.v20120810#${name}`,
            message: `${name} here`,
            ...reasons,
          }),
        );
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, close: () => server.close(), calls: () => calls };
  }

  const source =
    "import { DynamoDBClient, DynamoDBServiceException, GetItemCommand } from '@aws-sdk/client-dynamodb';\n" +
    'export async function fail(endpoint, table) {\n' +
    "  const client = new DynamoDBClient({ endpoint, region: 'ap-northeast-2', maxAttempts: 2,\n" +
    "    credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });\n" +
    "  try { await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'x' } } })); }\n" +
    '  catch (e) { return { name: e.name, message: e.message, fault: e.$fault, status: e.$metadata?.httpStatusCode,\n' +
    '    attempts: e.$metadata?.attempts, base: e instanceof DynamoDBServiceException, reasons: e.CancellationReasons,\n' +
    '    own: Object.getPrototypeOf(e) !== DynamoDBServiceException.prototype }; }\n' +
    '}';

  it('answers every service error alike with and without the error classes: name, message, fault, status, retries', async () => {
    const [plain, shaken] = await Promise.all([
      bundleSource('errors', source, false),
      bundleSource('errors', source, true),
    ]);
    type Fail = (endpoint: string, table: string) => Promise<Record<string, unknown>>;
    const before = (await import(pathToFileURL(plain).href)) as { fail: Fail };
    const after = (await import(pathToFileURL(shaken).href)) as { fail: Fail };
    const server = await errorServer();
    try {
      for (const error of [
        'ConditionalCheckFailedException.400',
        'TransactionCanceledException.400',
        'ResourceNotFoundException.400',
        'ValidationException.400',
        'ProvisionedThroughputExceededException.400',
        'ThrottlingException.400',
        'RequestLimitExceeded.400',
        'InternalServerError.500',
        'ReplicatedWriteConflictException.400',
      ]) {
        const was = await before.fail(server.url, error);
        const is = await after.fail(server.url, error);
        const { own: _wasOwn, ...same } = was;
        const { own, ...now } = is;
        expect(now, error).toEqual(same);
        expect(now.name).toBe(error.split('.')[0]);
        expect(now.base).toBe(true);
        // The classes the functions tell apart stay their own; the others are the base exception.
        const kept = [...HANDLED_SDK_ERRORS, 'ReplicatedWriteConflictException'].includes(now.name as string);
        expect(own, error).toBe(kept);
      }
      // Throttling and server errors were retried (2 attempts), a validation error was not.
      expect((await after.fail(server.url, 'ThrottlingException.400')).attempts).toBe(2);
      expect((await after.fail(server.url, 'InternalServerError.500')).attempts).toBe(2);
      expect((await after.fail(server.url, 'ValidationException.400')).attempts).toBe(1);
    } finally {
      server.close();
    }
  }, 60_000);

  it('finds the retry trait of an error class in a client errors module', () => {
    const errors = readFileSync(
      join(
        dirname(require.resolve('@aws-sdk/client-dynamodb/package.json')),
        'dist-es',
        'models',
        'errors.js',
      ),
      'utf8',
    );
    expect(retryableErrors(errors)).toEqual(['ReplicatedWriteConflictException']);
  });

  it('unregisters modelled errors except those kept, never the base exception', () => {
    const source = [
      '_s_registry.registerError(XServiceException$, XServiceException);',
      'n0_registry.registerError(AException$, AException);',
      'n0_registry.registerError(BException$, BException);',
    ].join('\n');
    const out = unregisteredErrors(source, new Set(['BException']));
    expect(out).toContain('_s_registry.registerError(XServiceException$, XServiceException);');
    expect(out).not.toContain('AException');
    expect(out).toContain('n0_registry.registerError(BException$, BException);');
  });

  it('leaves the classes of unhandled errors out of a bundle (DynamoDB and KMS: over 20 KB)', async () => {
    const both =
      "import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';\n" +
      "import { KMSClient, DecryptCommand } from '@aws-sdk/client-kms';\n" +
      'export const a = (i) => new DynamoDBClient({}).send(new GetItemCommand(i));\n' +
      'export const b = (i) => new KMSClient({}).send(new DecryptCommand(i));';
    const [plain, shaken] = await Promise.all([
      bundleSource('kms', both, false),
      bundleSource('kms', both, true),
    ]);
    const code = readFileSync(shaken, 'utf8');
    expect(code).not.toContain('"ResourceNotFoundException"');
    expect(code).not.toContain('"KMSInvalidStateException"');
    expect(code).toContain('"ConditionalCheckFailedException"');
    expect(readFileSync(plain, 'utf8')).toContain('"KMSInvalidStateException"');
    expect(readFileSync(plain).length - code.length).toBeGreaterThan(20 * 1024);
  });
});

describe('bundling the AWS SDK: the endpoint cache', () => {
  it("answers as the SDK's own endpoint cache does: capacity, least recently used first out, expiry, deletion", async () => {
    const source =
      "import { EndpointCache } from '@aws-sdk/endpoint-cache';\n" +
      'export function run() {\n' +
      '  const c = new EndpointCache(2);\n' +
      '  const e = (a, m = 5) => [{ Address: a, CachePeriodInMinutes: m }];\n' +
      '  const seen = [];\n' +
      "  const look = () => seen.push(['a', 'b', 'c', 'd', 'x'].map((k) => [c.has(k), c.getEndpoint(k) ?? null]));\n" +
      "  c.set('a', e('1')); c.set('b', e('2')); look();\n" +
      "  c.set('c', e('3')); look();\n" +
      "  c.get('b'); c.set('d', e('4')); look();\n" +
      "  c.delete('b'); look();\n" +
      "  c.set('x', e('9', 0)); seen.push([c.has('x'), c.get('x') ?? null, c.has('x')]);\n" +
      '  c.clear(); look();\n' +
      '  return seen;\n' +
      '}';
    const [plain, shaken] = await Promise.all([
      bundleSource('endpoint-cache', source, false),
      bundleSource('endpoint-cache', source, true),
    ]);
    type Run = { run: () => unknown[] };
    const before = ((await import(pathToFileURL(plain).href)) as Run).run();
    const after = ((await import(pathToFileURL(shaken).href)) as Run).run();
    expect(after).toEqual(before);
    expect(before[1]).toEqual([
      [false, null],
      [true, '2'],
      [true, '3'],
      [false, null],
      [false, null],
    ]);
    expect(readFileSync(plain, 'utf8')).toContain('peek');
    expect(readFileSync(shaken, 'utf8')).not.toContain('peek');
  });
});
