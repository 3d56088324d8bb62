import { startMoto } from '/work/wt-import/local/emulator';
import { bootstrap, applyEnvironment } from '/work/wt-import/local/bootstrap';
const moto = await startMoto();
try {
  const res = await bootstrap({ profile: 'littleone', endpoint: moto.endpoint });
  applyEnvironment(res.env);
  const { blindIndex } = await import('/work/wt-import/lambdas/adapters/blind-index');
  const { newDataKey } = await import('/work/wt-import/lambdas/adapters/data-keys');
  const { wasImported } = await import('/work/wt-import/lambdas/features/import/store');
  const time = async (name: string, f: () => Promise<unknown>) => { const t = performance.now(); for (let i = 0; i < 10; i++) await f(); console.log(name, ((performance.now() - t) / 10).toFixed(1), 'ms'); };
  await time('getItem', () => wasImported('abc'));
  await time('mac', () => blindIndex('littleone', 'email', 'a@b.c'));
  await time('gdk', () => newDataKey('abc'));
} finally { await moto.stop(); }
