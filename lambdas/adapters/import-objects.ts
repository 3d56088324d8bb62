/**
 * The import job's one S3 read: the lines of an export object, streamed, so a large export
 * never sits whole in the function's memory. The client is pinned to Seoul like every other.
 */

import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SEOUL_REGION } from '../../policy/schema';
import { DependencyFailed } from '../runtime/errors';
import { awsCall } from './aws-call';

let client: S3Client | undefined;

/** The lines of object `key` in `bucket`; fails closed with DependencyFailed when it cannot be read. */
export async function* objectLines(bucket: string, key: string): AsyncGenerator<string> {
  client ??= new S3Client({ region: SEOUL_REGION });
  const s3 = client;
  const out = await awsCall('s3', () => s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
  if (!out.Body) throw new DependencyFailed('s3', { cause: new Error('S3 returned no body') });
  const reader = createInterface({ input: out.Body as Readable, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of reader) yield line;
  } catch (error) {
    throw new DependencyFailed('s3', { cause: error });
  }
}
