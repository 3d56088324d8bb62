/**
 * What the bundled functions use in place of the SDK's default credential chain. Lambda hands a
 * function its role's credentials in the environment; the rest of the chain (SSO, profiles, STS
 * web identity, instance metadata) never applies there, yet bundles ~95 KB of clients and parsers
 * into every function. lib/bundling.ts aliases `@aws-sdk/credential-provider-node` to this module;
 * unbundled code (local stack, tests) keeps the full chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

/** The SDK clients' default credential provider, reduced to Lambda's environment credentials. */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
