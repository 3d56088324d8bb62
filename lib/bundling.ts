/**
 * How every Lambda function is bundled: one esbuild configuration, used by the CDK construct
 * (through `lib/bundle-handlers.ts`, because esbuild plugins need its JavaScript API) and by
 * `npm run bench` and the bundle-size budget test, so a measured bundle is the bundle that ships.
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { type ProfileName, parseCatalogue, profiles } from '../policy/catalogue';
import { versionedSchemaDigest } from '../policy/schema-digest';

/** The Node.js version the functions run on, as an esbuild target. */
export const BUNDLE_TARGET = 'node22';

/** Bundled CommonJS dependencies call require(); ESM has none until we make one. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** ESM entry points of dependencies tree-shake better (zod/mini, middy). */
export const BUNDLE_MAIN_FIELDS = ['module', 'main'];

/**
 * Modules replaced in every bundle. Lambda gives credentials in the environment, so the default
 * credential chain shrinks to reading it (see lambdas/adapters/lambda-credentials.ts).
 */
export const BUNDLE_ALIAS: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': fileURLToPath(
    new URL('../lambdas/adapters/lambda-credentials.ts', import.meta.url),
  ),
};

/** Modules left out of every bundle: none (the event-stream codec is handled by {@link lazyEventStreams}). */
export const BUNDLE_EXTERNAL: readonly string[] = [];

/**
 * Leaves the SDK's event-stream codec out where it is imported lazily. The SDK loads it with a
 * dynamic import, which esbuild inlines (~19 KB in every function), but only operations with an
 * event-stream member ever reach it, and none the functions call has one. Left external, that
 * import stays lazy and is never evaluated. The S3 client imports the codec statically (its
 * SelectObjectContent streams events), so where S3 is used the static import is bundled.
 */
export const lazyEventStreams: Plugin = {
  name: 'lazy-event-streams',
  setup(b) {
    b.onResolve({ filter: /^@smithy\/core\/event-streams$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined,
    );
  },
};

/** The generated schema modules of an AWS SDK client. */
const SDK_SCHEMA_MODULE = /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;
/** The package.json of an AWS SDK client, which the client imports whole for its version. */
const SDK_CLIENT_PACKAGE = /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]package\.json$/;

/**
 * Rewrites the computed trait keys of a generated SDK schema module (`{ [_h]: [...] }`, where
 * `const _h = "http"`) into the string literals they stand for (`{ "http": [...] }`). The
 * objects are the same; but esbuild must assume a computed key may run code, so it keeps every
 * schema that has one, used or not: every operation of the service (with the unused error classes
 * below, over 40 KB of a function calling one Cognito operation).
 * Upstream: aws/aws-sdk-js-v3#7607, smithy-lang/smithy-typescript#1889.
 */
export function literalTraitKeys(source: string): string {
  const strings = new Map<string, string>();
  for (const m of source.matchAll(/^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm)) strings.set(m[1]!, m[2]!);
  return source.replace(/([{,]\s*)\[(_\w+)\]:/g, (whole, before: string, name: string) => {
    const literal = strings.get(name);
    return literal === undefined ? whole : `${before}${literal}:`;
  });
}

/**
 * The service errors the functions tell apart by name (lambdas/adapters: a failed condition, a
 * cancelled transaction, a missing sign-in account, a signature that does not verify).
 */
export const HANDLED_SDK_ERRORS: readonly string[] = [
  'ConditionalCheckFailedException',
  'TransactionCanceledException',
  'UserNotFoundException',
  'KMSInvalidSignatureException',
];

/** The error classes of an SDK client's errors module that carry a retry trait (`$retryable`). */
export function retryableErrors(errorsModule: string): string[] {
  return [...errorsModule.matchAll(/^export class (\w+) extends [^{]+\{((?:(?!^export class)[\s\S])*)/gm)]
    .filter((m) => /^\s*\$retryable\b/m.test(m[2]!))
    .map((m) => m[1]!);
}

/**
 * Drops the registration of the service's modelled errors, except `kept`, from a generated SDK
 * schema module (`n0_registry.registerError(X$, X);`), so their classes and schemas tree-shake
 * (KMS 12 KB, Cognito 16 KB, DynamoDB 9 KB). An error left unregistered still arrives as the
 * service's base exception with the same `name`, `message`, `$fault` and `$metadata`, and the
 * SDK classifies it for retries by those, as before; only `instanceof` its own class is lost,
 * which the functions never test (they compare names, {@link HANDLED_SDK_ERRORS}). The base
 * exception's registration (`_s_registry`) stays. Errors with a retry trait stay registered.
 */
export function unregisteredErrors(source: string, kept: ReadonlySet<string>): string {
  return source.replace(
    /^n\d+_registry\.registerError\((\w+)\$, (\w+)\);$/gm,
    (line, _schema, ctor: string) => (kept.has(ctor) ? line : ''),
  );
}

/**
 * Makes the SDK's generated schemas tree-shakeable, leaves out the error classes the functions
 * never tell apart, and keeps only the version of a client's package.json.
 */
export const sdkTreeShaking: Plugin = {
  name: 'sdk-tree-shaking',
  setup(b) {
    b.onLoad({ filter: SDK_SCHEMA_MODULE }, async ({ path }) => {
      const errors = await readFile(join(dirname(path), '..', 'models', 'errors.js'), 'utf8').catch(() => '');
      const kept = new Set([...HANDLED_SDK_ERRORS, ...retryableErrors(errors)]);
      return {
        contents: unregisteredErrors(literalTraitKeys(await readFile(path, 'utf8')), kept),
        loader: 'js',
      };
    });
    b.onLoad({ filter: SDK_CLIENT_PACKAGE }, async ({ path }) => {
      const { version } = JSON.parse(await readFile(path, 'utf8')) as { version: string };
      return { contents: JSON.stringify({ version }), loader: 'json' };
    });
  },
};

/** The endpoint cache of the SDK's endpoint discovery, which the DynamoDB client builds. */
const SDK_ENDPOINT_CACHE = /[\\/]@aws-sdk[\\/]endpoint-cache[\\/]dist-es[\\/]EndpointCache\.js$/;

/**
 * The SDK's `EndpointCache` on a `Map` kept in least-recently-used order instead of mnemonist's
 * LRU cache (~7 KB with the iterator library it imports): the same methods and answers, expiry
 * and capacity. The DynamoDB client builds one for endpoint discovery, which none of the
 * operations the functions call uses.
 */
export const MAP_ENDPOINT_CACHE = `export class EndpointCache {
  constructor(capacity) { this.capacity = capacity; this.cache = new Map(); }
  getEndpoint(key) {
    const endpoints = this.get(key);
    if (!endpoints || endpoints.length === 0) return undefined;
    return endpoints.map((e) => e.Address)[Math.floor(Math.random() * endpoints.length)];
  }
  get(key) {
    if (!this.has(key)) return;
    const value = this.cache.get(key);
    this.cache.delete(key);
    this.cache.set(key, value);
    const now = Date.now();
    const live = value.filter((e) => now < e.Expires);
    if (live.length === 0) { this.delete(key); return undefined; }
    return live;
  }
  set(key, endpoints) {
    const now = Date.now();
    this.cache.delete(key);
    this.cache.set(key, endpoints.map(({ Address, CachePeriodInMinutes }) => ({ Address, Expires: now + CachePeriodInMinutes * 60000 })));
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value);
  }
  delete(key) { this.set(key, []); }
  has(key) { const e = this.cache.get(key); return e !== undefined && e.length > 0; }
  clear() { this.cache.clear(); }
}
`;

/** Replaces the SDK's endpoint cache with {@link MAP_ENDPOINT_CACHE}. */
export const mapEndpointCache: Plugin = {
  name: 'map-endpoint-cache',
  setup(b) {
    b.onLoad({ filter: SDK_ENDPOINT_CACHE }, () => ({ contents: MAP_ENDPOINT_CACHE, loader: 'js' }));
  },
};

/**
 * Packages whose modules only declare (no import runs code we rely on) but whose package.json
 * does not say `sideEffects: false`. es-hangul sets `josa.pick` at the top of its module, which
 * makes esbuild keep the library (3.5 KB) in every function importing a module that imports it,
 * used or not; declared free of side effects, it stays only where a particle is chosen.
 */
const SIDE_EFFECT_FREE = ['es-hangul'];

/** Marks {@link SIDE_EFFECT_FREE} packages as free of side effects, so unused imports of them drop. */
export const sideEffectFreePackages: Plugin = {
  name: 'side-effect-free-packages',
  setup(b) {
    const filter = new RegExp(`^(${SIDE_EFFECT_FREE.join('|')})$`);
    b.onResolve({ filter }, async ({ path, resolveDir, kind, pluginData }) => {
      if (pluginData === sideEffectFreePackages) return undefined;
      const resolved = await b.resolve(path, { resolveDir, kind, pluginData: sideEffectFreePackages });
      return resolved.errors.length > 0 ? undefined : { path: resolved.path, sideEffects: false };
    });
  },
};

/** A profile module (`./profiles/<name>`) as policy/catalogue.ts imports it. */
const PROFILE_IMPORT = /^\.\/profiles\/([a-z]\w*)$/;

/**
 * Bundles one profile's catalogue: a function runs for the profile its stack deploys
 * (POLICY_PROFILE), so every other profile module becomes `undefined`, which loadCatalogue
 * refuses by name. Saves the other profiles' data in every function (8–12 KB each).
 */
export function singleProfile(profile: ProfileName): Plugin {
  return {
    name: 'single-profile',
    setup(b) {
      b.onResolve({ filter: PROFILE_IMPORT }, ({ path, importer }) => {
        const name = PROFILE_IMPORT.exec(path)![1]!;
        if (name === profile || !/[\\/]policy[\\/]catalogue\.ts$/.test(importer)) return undefined;
        return { path: name, namespace: 'omitted-profile' };
      });
      b.onLoad({ filter: /.*/, namespace: 'omitted-profile' }, ({ path }) => ({
        contents: `export const ${path} = undefined;`,
        loader: 'js',
      }));
    },
  };
}

/**
 * The esbuild options that bundle each entry (function name → entry file) for `profile` into
 * `outdir/<name>/index.mjs` with its source map: ESM, minified, the AWS SDK included. One build
 * parses shared modules once; each output is still a whole bundle of its own (no splitting).
 */
export function bundleOptions(
  entries: Readonly<Record<string, string>>,
  outdir: string,
  profile: ProfileName,
): BuildOptions {
  return {
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, file]) => [`${name}/index`, file])),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    minify: true,
    // Korean text as UTF-8 (3 bytes a syllable), not as \uXXXX escapes (6): Node reads modules as UTF-8.
    charset: 'utf8',
    sourcemap: true,
    sourcesContent: false,
    mainFields: BUNDLE_MAIN_FIELDS,
    banner: { js: ESM_REQUIRE_BANNER },
    alias: { ...BUNDLE_ALIAS },
    // Everything else is bundled, the AWS SDK too: the version we test is the version that runs.
    external: [...BUNDLE_EXTERNAL],
    // bundleFunctions validated the profile: functions skip validating it at each cold start;
    // and readers of published versions compare the digest of the schema they were validated
    // against with this one instead of holding the schema (policy/schema-digest.ts).
    define: {
      'process.env.CATALOGUE_VALIDATED_AT_BUILD': '"true"',
      'process.env.VERSIONED_SCHEMA_DIGEST': JSON.stringify(versionedSchemaDigest()),
    },
    plugins: [
      sdkTreeShaking,
      lazyEventStreams,
      mapEndpointCache,
      sideEffectFreePackages,
      singleProfile(profile),
    ],
    metafile: true,
    logLevel: 'error',
  };
}

/**
 * Bundles each entry (name → file) for `profile` into `outdir/<name>/index.mjs`; returns
 * esbuild's metafile. Validates the profile first and throws naming the entry at fault: the
 * bundles hold it as data and do not validate it again.
 */
export async function bundleFunctions(
  entries: Readonly<Record<string, string>>,
  outdir: string,
  profile: ProfileName,
): Promise<Metafile> {
  parseCatalogue(profiles[profile], `profile ${profile}`);
  const result = await build(bundleOptions(entries, outdir, profile));
  return result.metafile!;
}

/** The handler entries of lambdas/handlers/, by function name. */
export function handlerEntries(): Record<string, string> {
  const dir = fileURLToPath(new URL('../lambdas/handlers/', import.meta.url));
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => [f.slice(0, -'.ts'.length), join(dir, f)]),
  );
}
