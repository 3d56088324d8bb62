/**
 * How every Lambda function is bundled, as plain esbuild options: the CDK construct passes them
 * to NodejsFunction and `npm run bench` (and the bundle-size budget test) builds with the very
 * same ones, so a measured bundle is the bundle that ships.
 */
import { fileURLToPath } from 'node:url';

/** The Node.js version the functions run on, as an esbuild target. */
export const BUNDLE_TARGET = 'node22';

/** Bundled CommonJS dependencies call require(); ESM has none until we make one. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** ESM entry points of dependencies tree-shake better (zod/mini, middy). */
export const BUNDLE_MAIN_FIELDS = ['module', 'main'];

/**
 * Modules replaced in every bundle. Lambda gives credentials in the environment, so the default
 * credential chain shrinks to reading it (see lambdas/shared/lambda-credentials.ts).
 */
export const BUNDLE_ALIAS: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': fileURLToPath(
    new URL('../lambdas/shared/lambda-credentials.ts', import.meta.url),
  ),
};

/** {@link BUNDLE_ALIAS} as esbuild command-line arguments (NodejsFunction `esbuildArgs`). */
export function aliasArgs(): Record<string, string> {
  return Object.fromEntries(Object.entries(BUNDLE_ALIAS).map(([from, to]) => [`--alias:${from}`, to]));
}
