/**
 * The digest of the schema a published version's changeable parts are validated against (L18).
 * A version records it when published; readers trust a version only under the same digest, so
 * the schema stays in the publishing function and out of every function that reads versions.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { catalogueSchema } from './schema';
import { VERSION_CHANGEABLE, VERSION_CHANGEABLE_ENTRIES } from './versions';

/**
 * Raised by hand when a refinement of a changeable part changes what it accepts: the JSON Schema
 * the digest is taken of states the parts' fields, types, values, bounds and patterns, not the
 * refinements (e.g. a duration longer than zero).
 */
export const VERSIONED_SCHEMA_REVISION = 1;

interface JsonSchema {
  readonly properties?: Record<string, JsonSchema>;
  readonly $defs?: Record<string, JsonSchema>;
}

/**
 * SHA-256 (hex) of the JSON Schema of the parts a version may change ({@link VERSION_CHANGEABLE},
 * {@link VERSION_CHANGEABLE_ENTRIES}) and {@link VERSIONED_SCHEMA_REVISION}. A change of any
 * other part's schema leaves it alone: there a version equals the deployed catalogue, which the
 * build validates.
 */
export function versionedSchemaDigest(): string {
  const schema = z.toJSONSchema(catalogueSchema(), { unrepresentable: 'any' }) as JsonSchema;
  const at = (path: string) =>
    path.split('.').reduce<JsonSchema | undefined>((s, key) => s?.properties?.[key], schema);
  const parts = Object.fromEntries(
    [...VERSION_CHANGEABLE, ...VERSION_CHANGEABLE_ENTRIES].map((path) => [path, at(path) ?? null]),
  );
  return createHash('sha256')
    .update(JSON.stringify({ revision: VERSIONED_SCHEMA_REVISION, parts, defs: schema.$defs ?? null }))
    .digest('hex');
}
