import { startMoto } from '/work/wt-import/local/emulator';
import { bootstrap, applyEnvironment } from '/work/wt-import/local/bootstrap';
import { makeExport } from '/work/wt-import/test/integration/import-fixtures';
const moto = await startMoto();
try {
  const res = await bootstrap({ profile: 'littleone', endpoint: moto.endpoint });
  applyEnvironment(res.env);
  process.env.POWERTOOLS_LOG_LEVEL='SILENT';
  const { importLines } = await import('/work/wt-import/lambdas/features/import/import');
  const { loadCatalogue } = await import('/work/wt-import/policy/catalogue');
  const ex = makeExport('littleone', Number(process.argv[2] ?? 100), 100, 1);
  async function* gen() { for (const l of ex.text.split('\n')) yield l; }
  const t = Date.now();
  const r = await importLines(loadCatalogue('littleone'), gen(), { now: new Date('2025-06-01T00:00:00Z'), ratePerSecond: 1000, concurrency: Number(process.argv[3] ?? 8) });
  const s = (Date.now() - t) / 1000;
  console.log(JSON.stringify({ ...r, bad: r.bad }).slice(0, 1500), s, 's', (r.imported / s).toFixed(1), '/s');
} finally { await moto.stop(); }
