/**
 * The layout's dependency rules, checked by `npm run deps` (part of `npm test`).
 *
 * Paths are relative to the repository root. TypeScript 7 sources are parsed with swc, and
 * type-only imports count as dependencies (tsPreCompilationDeps), so a type import can neither
 * cross a boundary nor close a cycle.
 */

/** A feature's persistence: `store.ts`, or `<name>-store.ts` where a feature has several. */
const STORE = '(^|/)(store|[^/]+-store)\\.ts$';
/** The stores of the features under lambdas/. */
const FEATURE_STORE = '^lambdas/features/.*/(store|[^/]+-store)\\.ts$';
/** Modules of the AWS SDK, wherever npm placed them. */
const AWS_SDK = '(^|/)node_modules/@aws-sdk/';
/** A resolved import that is no Node builtin: with node_modules excluded, a file of ours. */
const A_FILE = { couldNotResolve: false, dependencyTypesNot: ['core'] };

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'policy-imports-nothing-of-ours',
      comment: 'The catalogue stands alone: policy/ imports only itself, npm packages and Node builtins.',
      severity: 'error',
      from: { path: '^policy/' },
      to: { ...A_FILE, pathNot: ['^policy/', '(^|/)node_modules/'] },
    },
    {
      name: 'model-imports-only-policy',
      comment:
        'model/ is shared by lib/, lambdas/, local/ and bench/: it may import only policy/ and itself.',
      severity: 'error',
      from: { path: '^model/' },
      to: { ...A_FILE, pathNot: ['^(model|policy)/', '(^|/)node_modules/'] },
    },
    {
      name: 'lambdas-not-to-lib-local-bench',
      comment:
        'Function code is bundled alone: nothing under lambdas/ imports the CDK app, the local stack or the bench.',
      severity: 'error',
      from: { path: '^lambdas/' },
      to: { path: '^(lib|local|bench)/' },
    },
    {
      name: 'lib-not-to-lambdas',
      comment:
        'The CDK app builds from the model: lib/ imports no function code (it names handler files by path only).',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^lambdas/' },
    },
    {
      name: 'rules-are-pure',
      comment:
        'A feature rules.ts decides without I/O: no AWS SDK, no adapter, no store (it imports policy/, model/, runtime errors and other rules).',
      severity: 'error',
      from: { path: '^lambdas/features/[^/]+/rules\\.ts$' },
      to: { path: [AWS_SDK, '^lambdas/adapters/', STORE] },
    },
    {
      name: 'aws-sdk-only-in-adapters-and-stores',
      comment:
        'Within lambdas/, only adapters and feature stores talk to AWS; use cases, rules, handlers, the edge and the runtime reach it through them.',
      severity: 'error',
      from: { path: '^lambdas/', pathNot: ['^lambdas/adapters/', FEATURE_STORE] },
      to: { path: AWS_SDK },
    },
    {
      name: 'features-not-to-edge-or-handlers',
      comment: 'The domain knows nothing of HTTP or of the functions that host it.',
      severity: 'error',
      from: { path: '^lambdas/features/' },
      to: { path: '^lambdas/(http|handlers)/' },
    },
    {
      name: 'adapters-not-to-features-edge-handlers',
      comment: 'Adapters are generic AWS access: they import no feature, no HTTP edge and no handler.',
      severity: 'error',
      from: { path: '^lambdas/adapters/' },
      to: { path: '^lambdas/(features|http|handlers)/' },
    },
    {
      name: 'handlers-are-entry-points',
      comment:
        'A handler is a Lambda entry: only tests, the local stack, the bench and the CDK app (by path) reach it.',
      severity: 'error',
      from: { pathNot: '^(test|local|bench|lib)/' },
      to: { path: '^lambdas/handlers/' },
    },
    {
      name: 'runtime-not-to-features-edge-handlers-adapters',
      comment:
        'The runtime (env, logger, errors, job and worker wrappers) sits below everything else in lambdas/.',
      severity: 'error',
      from: { path: '^lambdas/runtime/' },
      to: { path: '^lambdas/(features|http|handlers|adapters)/' },
    },
    {
      name: 'pages-import-only-pages-policy-model',
      comment:
        'The pages run in the browser: web/ imports only web/, policy/ and model/ (small, type-level parts), never the functions, the local stack, the CDK app or Node builtins. web/build.ts, run by Node, is the exception.',
      severity: 'error',
      from: { path: '^web/', pathNot: '^web/build\\.ts$' },
      to: { pathNot: ['^(web|policy|model)/', '(^|/)node_modules/(preact|@types)/'] },
    },
    {
      name: 'only-servers-import-the-pages-build',
      comment: 'The pages are served by the local front and the CDK app; nothing else reaches web/.',
      severity: 'error',
      from: { pathNot: '^(web|local|lib|bench|test)/' },
      to: { path: '^web/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      comment: 'Every module imports or is imported by another: a file nothing reaches is dead code.',
      severity: 'error',
      // web/ modules used only by .tsx files look orphaned: the swc parser reads no JSX (see exclude).
      from: { orphan: true, pathNot: ['\\.d\\.ts$', '^web/'] },
      to: {},
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves to a file or package, so the path rules above see what it names.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    // dependency-cruiser's swc parser has no JSX mode: .tsx files are checked by
    // test/unit/pages-imports.test.ts against the web/ rule above instead.
    exclude: { path: ['^cdk\\.out/', '\\.tsx$'] },
  },
};
