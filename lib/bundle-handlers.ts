/**
 * `node --import tsx lib/bundle-handlers.ts <profile> <outdir>`: bundles every handler of
 * lambdas/handlers/ for a profile into `<outdir>/<name>/index.mjs` with the options of
 * lib/bundling.ts, in one esbuild build. The CDK construct runs it once per profile and synth as
 * a child process: asset bundling is synchronous, and esbuild plugins need the asynchronous API.
 */
import { isProfileName } from '../policy/catalogue';
import { bundleFunctions, handlerEntries } from './bundling';

const [profile, outdir] = process.argv.slice(2);
if (!profile || !isProfileName(profile) || !outdir) {
  process.stderr.write('usage: bundle-handlers <profile> <outdir>\n');
  process.exit(2);
}
await bundleFunctions(handlerEntries(), outdir, profile);
