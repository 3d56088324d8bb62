/**
 * What the operator's silos hold of a member, for the export (L16 portability). Closed, not
 * partial: a table or bucket silo that cannot be read fails the export (503, retry), as any other
 * store would, so an export that answers is whole; a custom system, which only the operator can
 * ask, is named under `missing`.
 */
import type { Text } from '../../../policy/i18n';
import type { Catalogue, Silo } from '../../../policy/schema';
import { readObjects, readTableItems, type StoredObject } from '../../adapters/silo-stores';

/** One silo's part of an export. */
export interface SiloExport {
  readonly kind: 'dynamodb' | 's3';
  readonly label: Text;
  readonly items: readonly string[];
  /** A table silo's records of the member, as stored. */
  readonly records?: readonly Record<string, unknown>[];
  /** A bucket silo's objects of the member, with their content (base64). */
  readonly objects?: readonly StoredObject[];
}

/** A silo the export could not include, and why. */
export interface MissingSilo {
  readonly silo: string;
  readonly label: Text;
  readonly reason: 'custom-system';
}

/** Every table and bucket silo's data of the member, and the silos left out. */
export async function gatherFromSilos(
  c: Catalogue,
  memberId: string,
): Promise<{ silos: Record<string, SiloExport>; missing: MissingSilo[] }> {
  const silos: Record<string, SiloExport> = {};
  const missing: MissingSilo[] = [];
  await Promise.all(
    Object.entries(c.silos).map(async ([id, silo]: [string, Silo]) => {
      if (silo.kind === 'custom') {
        missing.push({ silo: id, label: silo.label, reason: 'custom-system' });
        return;
      }
      silos[id] =
        silo.kind === 'dynamodb'
          ? {
              kind: silo.kind,
              label: silo.label,
              items: silo.items,
              records: await readTableItems(
                {
                  table: silo.table,
                  partitionKey: silo.partitionKey,
                  ...(silo.memberIndex ? { memberIndex: silo.memberIndex } : {}),
                },
                memberId,
              ),
            }
          : {
              kind: silo.kind,
              label: silo.label,
              items: silo.items,
              objects: await readObjects(silo.bucket, silo.prefix.replace('{memberId}', memberId)),
            };
    }),
  );
  missing.sort((a, b) => a.silo.localeCompare(b.silo));
  return { silos, missing };
}
