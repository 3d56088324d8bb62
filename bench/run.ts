/**
 * `npm run bench [-- --quick]`: bundle sizes, cold starts against a floor, AWS calls per
 * operation, handler overhead and purge scaling, in one run on this machine. Prints tables and
 * writes bench/results.json. Time figures are ratios to baselines measured in the same run.
 * `npm run bench -- --load` runs the load test alone (bench/load.ts), under the file's `load` key.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import {
  BUNDLE_CEILINGS,
  BUNDLE_TARGET_BYTES,
  bundleCeiling,
  CALL_BUDGETS,
  DATA_KEY_UNWRAPS_PER_PERIOD,
} from './budgets';
import { bundleFloor, bundleFunctions, ROOT } from './bundle';
import { COLD_START_GOAL, coldStartTable, problemsOf, verdictOf } from './cold-start';
import { costModel, UNIT_HEAD, unitRows } from './cost';
import { measureFirstInvocations, QUICK_FUNCTIONS } from './first-invocation';
import { type ImportResult, measureImport } from './import';
import { keptLoadResults } from './load-results';
import { millionTable, simulateMillion } from './million';
import { measureOperations, OPERATIONS_PROFILE } from './operations';
import { measureOverhead } from './overhead';
import { measurePages, type PageResult } from './pages';
import { PRICE_STAMP } from './prices/ap-northeast-2';
import { CANDIDATE_SHARE, ITEMS_READ_PER_CANDIDATE, measurePurge, purgeTargets } from './purge';
import { startBenchStack } from './stack';
import { table } from './table';
import { templateResources } from './template';

if (process.argv.includes('--load')) {
  const { runLoadBench } = await import('./load');
  process.exit(await runLoadBench(process.argv.slice(2)));
}

const quick = process.argv.includes('--quick');
const settings = quick
  ? {
      coldRuns: 5,
      overheadRuns: 20,
      pageRuns: 5,
      purgeSizes: { retention: [1_000], inactivity: [1_000] },
      importSizes: [50],
    }
  : {
      coldRuns: 15,
      overheadRuns: 50,
      pageRuns: 11,
      purgeSizes: { retention: [1_000, 10_000, 100_000], inactivity: [1_000, 10_000, 100_000] },
      // moto copies the tables a transaction names before applying it, so an import's cost per
      // member grows with the table: IMPORT_BENCH_MEMBERS=10000 asks for the issue's size.
      importSizes: (process.env.IMPORT_BENCH_MEMBERS ?? '100').split(',').map(Number),
    };
// The job's clock: a fixed instant, so the seeded records fall due the same way in every run.
const JOB_NOW = new Date('2026-11-21T19:00:00.000Z');

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const x = (value: number) => `${value.toFixed(2)}×`;

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
const progress = (what: string) => process.stderr.write(`[bench ${elapsed()}] ${what}\n`);
const failures: string[] = [];

// 1. Bundle sizes
const outDir = mkdtempSync(join(tmpdir(), 'privacy-bench-'));
progress('bundling every function as the stack does');
const bundles = await bundleFunctions(outDir, OPERATIONS_PROFILE);
const floor = await bundleFloor(outDir);
for (const b of bundles) {
  if (b.minifiedBytes > bundleCeiling(b.name)) failures.push(`bundle ${b.name} is over its ceiling`);
}

rmSync(outDir, { recursive: true, force: true });

// 2. Cold start and first invocation of the shipped bundles, against a moto of their own
const cold = await measureFirstInvocations({
  profile: OPERATIONS_PROFILE,
  runs: settings.coldRuns,
  ...(quick ? { only: QUICK_FUNCTIONS } : {}),
  progress,
});
for (const fn of cold.functions) failures.push(...problemsOf(fn));

// 3–5 against the emulator
progress('starting moto, the counting proxy and the local front');
const stack = await startBenchStack(OPERATIONS_PROFILE);
let operations: Awaited<ReturnType<typeof measureOperations>>;
let overhead: Awaited<ReturnType<typeof measureOverhead>>;
const purge: Awaited<ReturnType<typeof measurePurge>>[] = [];
const imports: ImportResult[] = [];
let pages: PageResult[] = [];
try {
  progress(`pages: bundle sizes, and first paint in Chromium over ${settings.pageRuns} cold loads each`);
  pages = await measurePages(stack.baseUrl, settings.pageRuns);
  progress('AWS calls per operation');
  operations = await measureOperations(stack);
  progress(`handler overhead: ${settings.overheadRuns} runs per case`);
  overhead = await measureOverhead(stack, settings.overheadRuns);
  for (const target of purgeTargets) {
    for (const size of settings.purgeSizes[target.job as keyof typeof settings.purgeSizes] ?? []) {
      progress(`purge scaling: ${target.name}, ${size.toLocaleString('en')} records`);
      purge.push(await measurePurge(stack, target, size, JOB_NOW));
    }
  }
  for (const size of settings.importSizes) {
    progress(`import: ${size.toLocaleString('en')} members, 1% bad lines, then stopped part-way and rerun`);
    imports.push(await measureImport(stack, size));
  }
} finally {
  await stack.stop();
}

progress('cost model: the synthesized template priced with the measured counts');
const costStarted = performance.now();
const cost = costModel(operations, templateResources(OPERATIONS_PROFILE), PRICE_STAMP);
const costSeconds = (performance.now() - costStarted) / 1000;

for (const op of operations) {
  const budget = CALL_BUDGETS[op.operation];
  if (!budget) failures.push(`operation ${op.operation} has no call budget`);
  else if (op.dynamodb > budget.dynamodb || op.kms > budget.kms || op.ses > budget.ses)
    failures.push(`operation ${op.operation} is over its call budget`);
  if (op.dataKeyUnwraps > DATA_KEY_UNWRAPS_PER_PERIOD)
    failures.push(`operation ${op.operation} unwrapped more than one data key`);
}
for (const i of imports) {
  if (i.crash.finalKmsCalls > i.crash.finalKmsCallsOfBadAtWrite || i.crash.finalSkipped !== i.imported)
    failures.push(`import at ${i.members}: a run over members already in called KMS or imported again`);
  if (i.crash.importedBeforeStop + i.crash.rerunImported !== i.imported)
    failures.push(
      `import at ${i.members}: stopped run and rerun imported ${i.crash.importedBeforeStop + i.crash.rerunImported}, not ${i.imported}`,
    );
}
for (const p of purge) {
  if (p.itemsRead > ITEMS_READ_PER_CANDIDATE * p.candidates)
    failures.push(`purge ${p.target} at ${p.records} read ${p.itemsRead} items`);
  if (p.purged !== undefined && p.purged !== p.candidates)
    failures.push(`purge ${p.target} at ${p.records} purged ${p.purged} of ${p.candidates}`);
}

// 6. A million members on paper: pure, seeded, no emulator (docs/scale.md).
progress('a million members: synthetic days counted per partition key');
const million = simulateMillion();
for (const d of million) {
  if (d.indexSharded.writes >= 1_000 || d.base.writes >= 1_000)
    failures.push(`a million members, ${d.scenario}: a partition takes 1,000 writes a second or more`);
}

const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${platform()}-${arch()}`,
};

table(
  `Bundle sizes (minified ESM, AWS SDK bundled; target ≤ ${kb(BUNDLE_TARGET_BYTES)})`,
  ['function', 'minified', 'gzip', 'ceiling', 'largest parts'],
  [floor, ...bundles].map((b) => [
    b.name,
    kb(b.minifiedBytes),
    kb(b.gzipBytes),
    b === floor ? '—' : kb(bundleCeiling(b.name)),
    b.inputs
      .slice(0, 4)
      .map((i) => `${i.origin} ${(i.bytes / 1024).toFixed(0)}`)
      .join(', '),
  ]),
);
const coldTable = coldStartTable(cold.floor, cold.functions);
table(
  `Cold start: fresh process, shipped bundle, first invocation against moto (${settings.coldRuns} runs each${quick ? ', a subset' : ''}; medians ÷ the floor's, goal ≤ ${COLD_START_GOAL}×, reported only; ${cold.seconds.toFixed(0)} s)`,
  coldTable.head,
  coldTable.rows,
);
table(
  `AWS calls per operation (${OPERATIONS_PROFILE}, counted on the wire in front of moto; fresh instance unless warm)`,
  [
    'operation',
    'DynamoDB',
    'items read',
    'items written',
    'RCU',
    'WCU ≥',
    'KMS',
    'data-key unwraps',
    'SES',
    'budget D/K/S',
    'calls',
  ],
  operations.map((o) => {
    const b = CALL_BUDGETS[o.operation];
    return [
      o.operation,
      o.dynamodb,
      o.itemsRead,
      o.itemsWritten,
      o.rcu,
      o.wcuAtLeast,
      o.kms,
      o.dataKeyUnwraps,
      o.ses,
      b ? `${b.dynamodb}/${b.kms}/${b.ses}` : '—',
      Object.entries(o.calls)
        .map(([k, v]) => `${k.split(':')[1]}×${v}`)
        .join(' '),
    ];
  }),
);
table(
  'Handler overhead (in-process handler vs. the bare SDK calls it needs, same proxy; reported only)',
  ['case', 'runs', 'handler median', 'bare SDK median', 'ratio'],
  overhead.map((o) => [o.case, o.runs, ms(o.handlerMedianMs), ms(o.bareMedianMs), x(o.ratio)]),
);
table(
  `Purge scaling (${CANDIDATE_SHARE * 100}% due; budget: items read to find them ≤ ${ITEMS_READ_PER_CANDIDATE} × candidates)`,
  [
    'job',
    'records',
    'candidates',
    'purged',
    'found: items read',
    'read ÷ candidates',
    'purge reads per record',
    'wall',
    'purged/s',
    'bare deletes/s',
    'rate ratio',
  ],
  purge.map((p) => [
    p.target,
    p.records.toLocaleString('en'),
    p.candidates.toLocaleString('en'),
    p.purged?.toLocaleString('en') ?? '— (found only)',
    p.itemsRead.toLocaleString('en'),
    (p.itemsRead / p.candidates).toFixed(2),
    p.purged ? (p.purgeItemsRead / p.purged).toFixed(1) : '—',
    ms(p.wallMs),
    p.purgedPerSecond?.toFixed(1) ?? '—',
    p.bareDeletesPerSecond.toFixed(0),
    p.purgedPerSecond === undefined ? '—' : x(p.purgedPerSecond / p.bareDeletesPerSecond),
  ]),
);
table(
  'Import (an export with 1% bad lines, counted on the wire in front of moto; moto copies the tables each transaction names, so the rate falls as they grow)',
  [
    'members',
    'imported',
    'bad',
    'wall',
    'imported/s',
    'KMS calls/member',
    'DynamoDB calls/member',
    'stopped at line',
    'rerun: imported',
    'rerun: skipped',
    'all in: skipped',
    'all in: KMS calls (of them, the line only the write finds bad)',
  ],
  imports.map((i) => [
    i.members.toLocaleString('en'),
    i.imported,
    i.bad,
    ms(i.wallMs),
    i.importedPerSecond.toFixed(1),
    i.kmsCallsPerMember.toFixed(2),
    i.dynamodbCallsPerMember.toFixed(2),
    i.crash.stoppedAtLine,
    i.crash.rerunImported,
    i.crash.rerunSkipped,
    i.crash.finalSkipped,
    `${i.crash.finalKmsCalls} (${i.crash.finalKmsCallsOfBadAtWrite})`,
  ]),
);
table(
  'Pages (built files; first paint in Chromium, phone size, cold cache, median)',
  ['page', 'bytes', 'gzip', 'first paint', 'first contentful paint', 'heading shown'],
  pages.map((p) => [
    `/${p.page}`,
    kb(p.bytes),
    kb(p.gzipBytes),
    ms(p.firstPaintMs),
    ms(p.firstContentfulPaintMs),
    ms(p.headingMs),
  ]),
);
table(
  `Billed units per operation (${OPERATIONS_PROFILE}; prices ${PRICE_STAMP.region} as of ${PRICE_STAMP.asOf}, unchecked: see bench/prices/)`,
  UNIT_HEAD,
  unitRows(cost),
);
table(
  `Monthly cost in USD: idle stack $${cost.idleUsd.toFixed(2)}, per ${cost.members.toLocaleString('en')} members $${cost.perMembersUsd.toFixed(2)} (${cost.activity.map((a) => a.basis).join(', ')}; model ${costSeconds.toFixed(1)} s)`,
  ['part', 'service', 'basis', 'USD'],
  [
    ...cost.idle.map((l) => ['idle', l.service, l.basis, `$${l.usd.toFixed(2)}`]),
    ...cost.perMembers.map((l) => [
      `per ${cost.members.toLocaleString('en')}`,
      l.service,
      l.basis,
      `$${l.usd.toFixed(2)}`,
    ]),
  ],
);
millionTable(million, table);
for (const p of purge.filter((r) => r.notPurged)) {
  console.log(`\n${p.target}, ${p.records.toLocaleString('en')} records: not purged. ${p.notPurged}`);
}

const results = {
  date: new Date().toISOString().slice(0, 10),
  mode: quick ? 'quick' : 'full',
  machine,
  durationSeconds: Math.round((performance.now() - started) / 1000),
  budgets: {
    bundleTargetBytes: BUNDLE_TARGET_BYTES,
    bundleCeilings: BUNDLE_CEILINGS,
    coldStartRatio: COLD_START_GOAL,
    calls: CALL_BUDGETS,
    dataKeyUnwrapsPerPeriod: DATA_KEY_UNWRAPS_PER_PERIOD,
    purgeItemsReadPerCandidate: ITEMS_READ_PER_CANDIDATE,
  },
  bundles: [floor, ...bundles].map(({ file: _file, ...b }) => ({ ...b, inputs: b.inputs.slice(0, 8) })),
  coldStart: {
    seconds: Math.round(cold.seconds),
    floor: cold.floor,
    functions: cold.functions.map((fn) => ({ ...fn, ...verdictOf(fn, cold.floor) })),
  },
  operations,
  overhead,
  purge,
  imports,
  pages,
  cost: { ...cost, modelSeconds: costSeconds },
  million,
  failures,
  // The load test runs on its own (--load): its last results stay.
  ...keptLoadResults(),
};
writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(
  `\n${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}; ${results.date}; ${results.mode} run in ${elapsed()}`,
);
if (failures.length > 0) {
  console.log(`\nBudgets broken:\n${failures.map((f) => `- ${f}`).join('\n')}`);
  process.exitCode = 1;
} else {
  console.log('\nEvery deterministic budget holds.');
}
