import { startMoto } from '/work/wt-import/local/emulator';
import { bootstrap, applyEnvironment } from '/work/wt-import/local/bootstrap';
import { makeExport } from '/work/wt-import/test/integration/import-fixtures';
const moto = await startMoto();
try {
  const res = await bootstrap({ profile: 'littleone', endpoint: moto.endpoint });
  applyEnvironment(res.env);
  const { importMember } = await import('/work/wt-import/lambdas/features/import/import');
  const { checkLine, lineSchemas } = await import('/work/wt-import/lambdas/features/import/rules');
  const { loadCatalogue } = await import('/work/wt-import/policy/catalogue');
  const c = loadCatalogue('littleone');
  const s = lineSchemas(c);
  const ex = makeExport('littleone', 200, 1000, 1);
  const now = new Date('2025-06-01T00:00:00Z');
  for (const l of ex.text.trim().split('\n').slice(0, 120)) {
    let t = performance.now();
    const r = checkLine(c, s, l, now);
    const t1 = performance.now() - t; t = performance.now();
    if (r.ok) { const o = await importMember(c, r.member, now); console.log('check', t1.toFixed(1), 'import', (performance.now() - t).toFixed(1), o); }
  }
} finally { await moto.stop(); }
