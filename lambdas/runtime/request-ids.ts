/**
 * Ids of things a request creates. With an Idempotency-Key the id derives from it, so the same
 * request run again (after its idempotency record expired in progress) finds what it made
 * instead of making another; without one, a fresh UUID.
 */
import { createHash, randomUUID } from 'node:crypto';

/** A UUID (v5 layout) for what `kind` of thing the member's request `idempotencyKey` creates. */
export function requestScopedId(kind: string, memberId: string, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return randomUUID();
  const h = createHash('sha256').update(`${kind}\0${memberId}\0${idempotencyKey}`).digest('hex');
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
