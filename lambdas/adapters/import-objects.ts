/**
 * The import job's one S3 read: the lines of an export object, streamed, so a large export
 * never sits whole in the function's memory. Read through a signed request (signed-s3.ts), in
 * Seoul like every other.
 */

import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { DependencyFailed } from '../runtime/errors';
import { getObjectStream } from './signed-s3';

/** The lines of object `key` in `bucket`; fails closed with DependencyFailed when it cannot be read. */
export async function* objectLines(bucket: string, key: string): AsyncGenerator<string> {
  const res = await getObjectStream(bucket, key);
  if (!res.body) throw new DependencyFailed('s3', { cause: new Error('S3 returned no body') });
  const input = Readable.fromWeb(res.body as ReadableStream<Uint8Array>);
  const reader = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of reader) yield line;
  } catch (error) {
    throw new DependencyFailed('s3', { cause: error });
  } finally {
    input.destroy();
  }
}
