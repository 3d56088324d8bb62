/**
 * The dependency rules (.dependency-cruiser.cjs) catch what they name: a small tree that breaks
 * each rule once, beside imports the layout allows, is cruised with the very configuration
 * `npm run deps` uses. That the real tree keeps them is `npm run deps`, run by `npm test`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type IConfiguration, type ICruiseResult } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const config = require('../../.dependency-cruiser.cjs') as IConfiguration;

/** The fixture: each file, and what it imports. Comments name the rule a line breaks. */
const FILES: Record<string, string> = {
  'policy/schema.ts': 'export type Catalogue = { profile: string };\n',
  // policy-imports-nothing-of-ours
  'policy/catalogue.ts':
    "import { tables } from '../model/resources';\nexport const profiles = { tables };\n",
  // allowed: model imports policy
  'model/grants.ts': "import type { Catalogue } from '../policy/schema';\nexport type Grants = Catalogue;\n",
  // model-imports-only-policy
  'model/resources.ts':
    "import { DomainError } from '../lambdas/runtime/errors';\nexport const tables = { DomainError };\n",
  'lambdas/runtime/errors.ts': 'export class DomainError extends Error {}\n',
  // lambdas-not-to-lib-local-bench
  'lambdas/runtime/env.ts': "import { settings } from '../../lib/settings';\nexport const env = settings;\n",
  // runtime-not-to-features-edge-handlers-adapters
  'lambdas/runtime/job.ts': "import { client } from '../adapters/dynamodb';\nexport const job = client;\n",
  // lib-not-to-lambdas
  'lib/monitoring.ts':
    "import { DomainError } from '../lambdas/runtime/errors';\nexport const monitoring = DomainError;\n",
  'lib/settings.ts':
    "import type { Grants } from '../model/grants';\nexport const settings: Grants[] = [];\n",
  // allowed: an adapter holds the SDK
  'lambdas/adapters/dynamodb.ts':
    "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';\nexport const client = DynamoDBDocumentClient;\n",
  // adapters-not-to-features-edge-handlers
  'lambdas/adapters/mailer.ts':
    "import { principal } from '../http/principal';\nexport const mailer = principal;\n",
  'lambdas/http/principal.ts':
    "import { DomainError } from '../runtime/errors';\nexport const principal = DomainError;\n",
  // allowed: a page imports the catalogue's types
  'web/shared/i18n.ts':
    "import type { Catalogue } from '../../policy/schema';\nexport type Text = Catalogue;\n",
  // pages-import-only-pages-policy-model
  'web/shared/api.ts':
    "import { DomainError } from '../../lambdas/runtime/errors';\nimport type { Text } from './i18n';\nexport const api: [typeof DomainError, Text?] = [DomainError];\n",
  // only-servers-import-the-pages-build
  'lambdas/runtime/pages.ts':
    "import type { Text } from '../../web/shared/i18n';\nexport const pages: Text[] = [];\n",
  // rules-are-pure (three times: the SDK, an adapter, a store); the SDK import also breaks
  // aws-sdk-only-in-adapters-and-stores
  'lambdas/features/members/rules.ts': [
    "import type { PutCommandInput } from '@aws-sdk/lib-dynamodb';",
    "import { client } from '../../adapters/dynamodb';",
    "import { findMember } from './member-store';",
    "import { DomainError } from '../../runtime/errors';",
    'export type Input = PutCommandInput;',
    'export const rules = [client, findMember, DomainError];',
    '',
  ].join('\n'),
  // allowed: a store holds the SDK
  'lambdas/features/members/member-store.ts':
    "import { GetCommand } from '@aws-sdk/lib-dynamodb';\nexport const findMember = GetCommand;\n",
  // aws-sdk-only-in-adapters-and-stores (a type-only import counts), features-not-to-edge-or-handlers
  'lambdas/features/members/join.ts': [
    "import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';",
    "import { principal } from '../../http/principal';",
    "import { rules } from './rules';",
    'export type Query = QueryCommandInput;',
    'export const join = [principal, rules];',
    '',
  ].join('\n'),
  // handlers-are-entry-points
  'lambdas/features/members/view.ts':
    "import { handler } from '../../handlers/get-me';\nexport const view = handler;\n",
  'lambdas/handlers/get-me.ts':
    "import { join } from '../features/members/join';\nexport const handler = join;\n",
  // no-circular, through type-only imports
  'lambdas/features/consents/left.ts':
    "import type { Right } from './right';\nexport type Left = { right?: Right };\n",
  'lambdas/features/consents/right.ts':
    "import type { Left } from './left';\nexport type Right = { left?: Left };\n",
  // no-orphans
  'lambdas/features/consents/unused.ts': 'export const unused = 1;\n',
  // not-to-unresolvable
  'local/start.ts':
    "import { handler } from '../lambdas/handlers/get-me';\nimport { gone } from './missing';\nexport const start = [handler, gone];\n",
  // allowed: tests, the local stack and the bench reach handlers
  'bench/run.ts': "import { handler } from '../lambdas/handlers/get-me';\nexport const run = handler;\n",
  'node_modules/@aws-sdk/lib-dynamodb/package.json': JSON.stringify({
    name: '@aws-sdk/lib-dynamodb',
    main: 'index.js',
    types: 'index.d.ts',
  }),
  'node_modules/@aws-sdk/lib-dynamodb/index.js':
    'exports.GetCommand = exports.DynamoDBDocumentClient = class {};\n',
  'node_modules/@aws-sdk/lib-dynamodb/index.d.ts':
    'export declare class GetCommand {}\nexport declare class DynamoDBDocumentClient {}\nexport type PutCommandInput = object;\nexport type QueryCommandInput = object;\n',
  'tsconfig.json': JSON.stringify({
    compilerOptions: { module: 'preserve', moduleResolution: 'bundler', strict: true, noEmit: true },
    include: ['policy', 'model', 'lambdas', 'lib', 'local', 'bench', 'web'],
  }),
};

/** Every violation the fixture holds, as `rule: from → to`. */
const EXPECTED = [
  'policy-imports-nothing-of-ours: policy/catalogue.ts → model/resources.ts',
  'model-imports-only-policy: model/resources.ts → lambdas/runtime/errors.ts',
  'lambdas-not-to-lib-local-bench: lambdas/runtime/env.ts → lib/settings.ts',
  'lib-not-to-lambdas: lib/monitoring.ts → lambdas/runtime/errors.ts',
  'runtime-not-to-features-edge-handlers-adapters: lambdas/runtime/job.ts → lambdas/adapters/dynamodb.ts',
  'adapters-not-to-features-edge-handlers: lambdas/adapters/mailer.ts → lambdas/http/principal.ts',
  'rules-are-pure: lambdas/features/members/rules.ts → @aws-sdk/lib-dynamodb',
  'rules-are-pure: lambdas/features/members/rules.ts → lambdas/adapters/dynamodb.ts',
  'rules-are-pure: lambdas/features/members/rules.ts → lambdas/features/members/member-store.ts',
  'aws-sdk-only-in-adapters-and-stores: lambdas/features/members/rules.ts → @aws-sdk/lib-dynamodb',
  'aws-sdk-only-in-adapters-and-stores: lambdas/features/members/join.ts → @aws-sdk/lib-dynamodb',
  'features-not-to-edge-or-handlers: lambdas/features/members/join.ts → lambdas/http/principal.ts',
  'features-not-to-edge-or-handlers: lambdas/features/members/view.ts → lambdas/handlers/get-me.ts',
  'handlers-are-entry-points: lambdas/features/members/view.ts → lambdas/handlers/get-me.ts',
  'no-circular: lambdas/features/consents/left.ts → lambdas/features/consents/right.ts',
  'no-orphans: lambdas/features/consents/unused.ts → lambdas/features/consents/unused.ts',
  'not-to-unresolvable: local/start.ts → ./missing',
  'pages-import-only-pages-policy-model: web/shared/api.ts → lambdas/runtime/errors.ts',
  'only-servers-import-the-pages-build: lambdas/runtime/pages.ts → web/shared/i18n.ts',
].sort();

let dir: string;
let result: ICruiseResult;

/** A resolved path as the rules see it, with the fixture's SDK package named by its package. */
function shown(path: string): string {
  return path.replace(/^node_modules\/(@aws-sdk\/[^/]+)\/.*$/, '$1');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dependency-rules-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const options = config.options!;
  const cruised = await cruise(
    ['policy', 'model', 'lambdas', 'lib', 'local', 'bench', 'web'],
    {
      ...options,
      baseDir: dir,
      validate: true,
      ruleSet: { forbidden: config.forbidden! },
      tsConfig: { fileName: join(dir, 'tsconfig.json') },
    },
    {},
    { tsConfig: extractTSConfig(join(dir, 'tsconfig.json')) },
  );
  result = cruised.output as ICruiseResult;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the dependency rules', () => {
  it('parse with swc and count type-only imports, as `npm run deps` does', () => {
    expect(config.options).toMatchObject({ parser: 'swc', tsPreCompilationDeps: true });
  });

  it('report every violation of the fixture, once, and nothing it allows', () => {
    const found = result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${shown(v.to)}`).sort();
    expect(found).toEqual(EXPECTED);
  });

  it('are all exercised by the fixture, each at error severity', () => {
    const names = (config.forbidden ?? []).map((rule) => rule.name);
    const reported = new Set(result.summary.violations.map((v) => v.rule.name));
    expect(names.filter((name) => !reported.has(name!))).toEqual([]);
    expect((config.forbidden ?? []).every((rule) => rule.severity === 'error')).toBe(true);
  });
});
