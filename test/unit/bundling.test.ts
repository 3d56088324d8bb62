/**
 * What the bundler (lib/bundling.ts) changes shrinks bundles without changing what runs: the
 * rewritten SDK schemas are the same objects, the event-stream codec it leaves out is one no
 * client of the functions can reach, and a bundle's catalogue is its profile's, validated.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleOptions, literalTraitKeys } from '../../lib/bundling';
import { parseCatalogue, profiles } from '../../policy/catalogue';

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

  it('leaves every schema of SESv2 the same object graph, only tree-shakeable', async () => {
    const source = `export * from ${JSON.stringify(schemaModule('@aws-sdk/client-sesv2'))};`;
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

  it('drops the SESv2 operations a function does not send (over 40 KB of schemas)', async () => {
    const source =
      "import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';\n" +
      'export const send = (input) => new SESv2Client({}).send(new SendEmailCommand(input));';
    const [plain, shaken] = await Promise.all([
      bundleSource('send', source, false),
      bundleSource('send', source, true),
    ]);
    const saved = readFileSync(plain).length - readFileSync(shaken).length;
    expect(saved).toBeGreaterThan(40 * 1024);
    // Of the request shapes, only SendEmail's is left.
    expect(readFileSync(shaken, 'utf8').match(/"[A-Z]\w+Request"/g)).toEqual(['"SendEmailRequest"']);
    expect(readFileSync(plain, 'utf8').match(/"[A-Z]\w+Request"/g)?.length).toBeGreaterThan(100);
  });

  it('bundles the S3 client with its event-stream imports stood in for: the bundle loads with no codec beside it', async () => {
    const source =
      "import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';\n" +
      "export const client = new S3Client({ region: 'ap-northeast-2' });\n" +
      'export const get = (input) => client.send(new GetObjectCommand(input));';
    const file = await bundleSource('s3-get', source, true);
    const code = readFileSync(file, 'utf8');
    // Only the lazy `import("…")` of other clients' paths may name the codec, never a static import.
    expect(code).not.toMatch(/from ?["']@smithy\/core\/event-streams["']/);
    expect(code).toContain('S3 event streams are not bundled');
    const loaded = (await import(pathToFileURL(file).href)) as { client: { config: object } };
    expect(loaded.client.config).toHaveProperty('eventStreamMarshaller');
  });

  it.each(
    // S3 has one (SelectObjectContent): its bundles hold the stand-in above instead.
    clients
      .filter((c) => c !== '@aws-sdk/client-s3')
      .map((c) => [c] as const),
  )('%s has no event-stream operation, so the codec left out of bundles is never loaded', (client) => {
    // An event-stream member carries the `streaming` trait, written as a string constant.
    expect(readFileSync(schemaModule(client), 'utf8')).not.toContain('"streaming"');
  });
});

describe('bundling the catalogue', () => {
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
