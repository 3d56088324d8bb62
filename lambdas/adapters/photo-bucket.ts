/**
 * The photos bucket, spoken to through signed requests (L13, L7/G7, L8/G8/G12; signed-s3.ts).
 * Every call is a SigV4 query-signed request, the same kind a member's upload or download link
 * is, so one signer serves both. Any failure, or an answer that is not what S3 promises, fails
 * closed (503) and a retry starts over safely.
 */
import { PHOTO_LINK_SECONDS, PHOTOS_BUCKET_ENV } from '../../model/photos';
import { requireEnv } from '../runtime/env';
import {
  deleteVersions as deleteBucketVersions,
  listVersions as listBucketVersions,
  type ObjectVersion,
  presign as presignIn,
  type SignedRequest,
  send,
  unexpected,
} from './signed-s3';

export type { ObjectVersion, SignedRequest } from './signed-s3';

/** The bucket's name, read from its variable on first use. */
function bucket(): string {
  return requireEnv(PHOTOS_BUCKET_ENV);
}

/** Signs a request to the photos bucket, valid for a member's link unless told otherwise. */
function presign(
  method: string,
  key: string,
  options: { query?: Record<string, string>; headers?: Record<string, string>; seconds?: number } = {},
): Promise<SignedRequest> {
  return presignIn(bucket(), method, key, { seconds: PHOTO_LINK_SECONDS, ...options });
}

/**
 * The presigned upload of one photo: a PUT whose signature covers the declared type and exact
 * size, so S3 refuses any other body (SignatureDoesNotMatch). The bucket encrypts it (SSE-KMS).
 */
export function uploadRequest(key: string, mediaType: string, bytes: number): Promise<SignedRequest> {
  return presign('PUT', key, { headers: { 'content-type': mediaType, 'content-length': String(bytes) } });
}

/** The presigned download of one photo, served with its stored type. */
export function downloadRequest(key: string): Promise<SignedRequest> {
  return presign('GET', key);
}

/** What S3 holds of one object. */
export interface StoredObject {
  readonly key: string;
  readonly bytes: number;
  readonly mediaType: string;
  readonly lastModified: string;
}

/** The current version of `key`, or undefined when there is none. */
export async function headObject(key: string): Promise<StoredObject | undefined> {
  const res = await send(await presign('HEAD', key));
  if (res.status === 404) return undefined;
  if (!res.ok) throw unexpected(res);
  const bytes = Number(res.headers.get('content-length'));
  const modified = res.headers.get('last-modified');
  return {
    key,
    bytes,
    mediaType: res.headers.get('content-type') ?? '',
    lastModified: modified ? new Date(modified).toISOString() : '',
  };
}

/** Every version and delete marker under `prefix` (ListObjectVersions, every page). */
export function listVersions(prefix: string): Promise<ObjectVersion[]> {
  return listBucketVersions(bucket(), prefix);
}

/** Deletes each given version (DeleteObjects, 1,000 a call); fails closed if S3 reports any error. */
export function deleteVersions(versions: readonly ObjectVersion[]): Promise<void> {
  return deleteBucketVersions(bucket(), versions);
}

/** Deletes every version and delete marker under `prefix`; returns how many it deleted. */
export async function erasePrefix(prefix: string): Promise<number> {
  const versions = await listVersions(prefix);
  await deleteVersions(versions);
  return versions.length;
}
