import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../lambdas/features/access-records/access-records';
import {
  ACCESS_CHAIN,
  type AccessRecord,
  GENESIS_HASH,
  recordHash,
} from '../../lambdas/features/access-records/rules';

function chain(length: number): AccessRecord[] {
  const records: AccessRecord[] = [];
  for (let seq = 1; seq <= length; seq++) {
    const body = {
      chain: ACCESS_CHAIN,
      seq,
      at: new Date(Date.UTC(2026, 0, 1, 0, seq)).toISOString(),
      officerId: seq % 2 ? 'officer-a' : 'officer-b',
      action: 'get-admin-member',
      memberId: `m-${seq}`,
      sealed: `c2VhbGVk${seq}`,
      expiresAt: 1_830_000_000 + seq,
      prevHash: records.at(-1)?.hash ?? GENESIS_HASH,
    } as const;
    records.push({ ...body, hash: recordHash(body) });
  }
  return records;
}

async function* from(records: AccessRecord[]) {
  yield* records;
}

describe('handler access record chain', () => {
  it('G17: an untouched chain verifies', async () => {
    expect(await verifyChain(from(chain(5)))).toEqual({ intact: true, records: 5, firstSeq: 1, lastSeq: 5 });
  });

  it('G17: a modified record no longer matches its hash', async () => {
    const records = chain(5);
    records[2] = { ...records[2]!, memberId: 'someone-else' };
    expect(await verifyChain(from(records))).toMatchObject({
      intact: false,
      brokenAt: { seq: 3, problem: 'hash mismatch' },
    });
  });

  it('G17: a modified record given a fresh hash breaks the link of the next one', async () => {
    const records = chain(5);
    const { hash: _h, ...body } = { ...records[2]!, reason: 'x', officerId: 'intruder' };
    records[2] = { ...body, hash: recordHash(body) } as AccessRecord;
    expect(await verifyChain(from(records))).toMatchObject({
      intact: false,
      brokenAt: { seq: 4, problem: 'link mismatch' },
    });
  });

  it('G17: a removed record leaves a gap', async () => {
    const records = chain(5);
    records.splice(1, 1);
    expect(await verifyChain(from(records))).toMatchObject({
      intact: false,
      brokenAt: { seq: 3, problem: 'sequence gap' },
    });
  });

  it('G17: a first record that claims to start the chain must link to the genesis hash', async () => {
    const records = chain(3);
    const { hash: _h, ...body } = { ...records[0]!, prevHash: 'f'.repeat(64) };
    records[0] = { ...body, hash: recordHash(body) };
    expect(await verifyChain(from(records))).toMatchObject({ intact: false, brokenAt: { seq: 1 } });
  });

  it('accepts a chain whose oldest records TTL has removed', async () => {
    expect(await verifyChain(from(chain(6).slice(2)))).toEqual({
      intact: true,
      records: 4,
      firstSeq: 3,
      lastSeq: 6,
    });
  });
});
