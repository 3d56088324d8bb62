/**
 * `node --import tsx lib/bundle-handlers.ts <outdir>`: bundles every handler of lambdas/handlers/
 * into `<outdir>/<name>/index.mjs` with the options of lib/bundling.ts, in one esbuild build. The
 * CDK construct runs it once per synth as a child process: asset bundling is synchronous, and
 * esbuild plugins need the asynchronous API.
 */
import { bundleFunctions, handlerEntries } from './bundling';

const [outdir] = process.argv.slice(2);
if (!outdir) {
  process.stderr.write('usage: bundle-handlers <outdir>\n');
  process.exit(2);
}
await bundleFunctions(handlerEntries(), outdir);
