/**
 * `npm run vault [-- --member <id>] [--now <ISO date>] [--json]`: the vault of the running local
 * stack as a privacy officer may see it (L7/G7): which member's records are kept, of which
 * retention class, since when and until when. It reads the key, class and time attributes only:
 * no payload, no wrapped key and no signed receipt leaves the table, and nothing is decrypted.
 * A record at or past its expiry is still listed until the retention job (or TTL) removes it,
 * marked as past its period: every read in the product already treats it as gone.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { vaultClassOf } from '../lambdas/features/vault/store';
import { EXPIRY_ATTRIBUTE, tableEnv } from '../model/resources';
import { clientConfig } from './bootstrap';
import { CliError, readState, runCli } from './state';

/** One vault record as the listing shows it: identifiers, class and dates, never contents. */
export interface VaultEntry {
  readonly memberId: string;
  /** The record's sort key: `<retention class>#<record id>`, or `RECEIPT`. */
  readonly record: string;
  readonly retentionClass: string;
  readonly createdAt: string | null;
  /** When the record's period ends (ISO, UTC). */
  readonly expiresAt: string;
  /** The Seoul day the retention job destroys it on. */
  readonly expiresOn: string;
  /** False once the period has ended: the record awaits the retention job. */
  readonly held: boolean;
}

/** The attributes read: everything else (payload, wrapped key, receipt) stays in the table. */
const LISTED = ['pk', 'sk', 'memberId', 'createdAt', 'expiresOn', EXPIRY_ATTRIBUTE];

/** Every record in the vault table at `endpoint`, soonest expiry first, judged at `now`. */
export async function listVault(
  endpoint: string,
  table: string,
  now: Date,
  memberId?: string,
): Promise<VaultEntry[]> {
  const client = new DynamoDBClient(clientConfig(endpoint));
  const doc = DynamoDBDocumentClient.from(client);
  const entries: VaultEntry[] = [];
  try {
    const names = Object.fromEntries(LISTED.map((a, i) => [`#a${i}`, a]));
    const pages = paginateScan(
      { client: doc },
      {
        TableName: table,
        ProjectionExpression: Object.keys(names).join(', '),
        ExpressionAttributeNames: {
          ...names,
          ...(memberId === undefined ? {} : { '#pk': 'pk' }),
        },
        ...(memberId === undefined
          ? {}
          : { FilterExpression: '#pk = :pk', ExpressionAttributeValues: { ':pk': `V#${memberId}` } }),
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const sk = String(item.sk);
        const expiresAt = Number(item[EXPIRY_ATTRIBUTE]);
        entries.push({
          memberId: String(item.memberId ?? String(item.pk).replace(/^V#/, '')),
          record: sk,
          // As the retention job counts it: the sort key names the class.
          retentionClass: vaultClassOf(sk),
          createdAt: typeof item.createdAt === 'string' ? item.createdAt : null,
          expiresAt: new Date(expiresAt * 1000).toISOString(),
          expiresOn: String(item.expiresOn),
          held: expiresAt * 1000 > now.getTime(),
        });
      }
    }
  } finally {
    client.destroy();
  }
  return entries.sort(
    (a, b) =>
      a.expiresAt.localeCompare(b.expiresAt) ||
      a.memberId.localeCompare(b.memberId) ||
      a.record.localeCompare(b.record),
  );
}

/** The listing as text: one line per record, then a count by class. */
export function formatVault(entries: readonly VaultEntry[], now: Date): string {
  if (entries.length === 0) return `The vault is empty (at ${now.toISOString()}).\n`;
  const lines = entries.map(
    (e) =>
      `${e.memberId.padEnd(38)} ${e.retentionClass.padEnd(24)} kept until ${e.expiresAt} (Seoul day ${e.expiresOn})` +
      (e.held ? '' : '  PAST ITS PERIOD: the retention job destroys it'),
  );
  const byClass = new Map<string, number>();
  for (const e of entries) byClass.set(e.retentionClass, (byClass.get(e.retentionClass) ?? 0) + 1);
  const counts = [...byClass].map(([c, n]) => `${c} ${n}`).join(', ');
  const header = `${'member id'.padEnd(38)} ${'retention class'.padEnd(24)} period`;
  return `${header}\n${lines.join('\n')}\n${entries.length} record(s) at ${now.toISOString()}: ${counts}\n`;
}

const isMain = import.meta.url === pathToFileURL(process.argv[1] ?? '').href;
if (isMain) {
  runCli(async () => {
    const { values } = parseArgs({
      options: {
        member: { type: 'string' },
        now: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const now = values.now === undefined ? new Date() : new Date(values.now);
    if (Number.isNaN(now.getTime())) {
      throw new CliError(`--now must be an ISO date such as 2027-03-01T04:00:00+09:00, not "${values.now}".`);
    }
    const state = await readState();
    const table = state.env[tableEnv('vault')];
    if (!table) throw new CliError('The running local stack has no vault table: restart `npm start`.');
    const entries = await listVault(state.endpoint, table, now, values.member);
    process.stdout.write(values.json ? `${JSON.stringify(entries, null, 2)}\n` : formatVault(entries, now));
  });
}
