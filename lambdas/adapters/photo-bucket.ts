/**
 * The photos bucket, spoken to through signed requests (L13, L7/G7, L8/G8/G12). The S3 client
 * would add ~100 KB to every function that erases a member (measured: 206.7 KB -> 306.9 KB for a
 * DynamoDB + KMS function listing and deleting versions); the presigner alone adds ~6 KB. Every
 * call is a SigV4 query-signed request, the same kind a member's upload or download link is, so
 * one signer serves both. Any failure, or an answer that is not what S3 promises, becomes
 * {@link DependencyFailed}: the request fails closed (503) and a retry starts over safely.
 */
import { createHash, createHmac } from 'node:crypto';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { PHOTO_LINK_SECONDS, PHOTOS_BUCKET_ENV } from '../../model/photos';
import { ENV } from '../../model/resources';
import { SEOUL_REGION } from '../../policy/schema';
import { requireEnv } from '../runtime/env';
import { DependencyFailed } from '../runtime/errors';

/** How long one call to S3 may take before the request fails closed. */
const CALL_TIMEOUT_MS = 5_000;
/** DeleteObjects takes at most this many keys per call. */
const DELETE_BATCH = 1_000;

/** What the signer hashes: text, or bytes in any of their forms. */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytesOf = (d: SourceData): string | Uint8Array =>
  typeof d === 'string'
    ? d
    : ArrayBuffer.isView(d)
      ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength)
      : new Uint8Array(d);

/** SHA-256 and HMAC-SHA-256 for the signer, from node:crypto (no extra hashing library). */
class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytesOf(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

let presigner: S3RequestPresigner | undefined;
function signer(): S3RequestPresigner {
  presigner ??= new S3RequestPresigner({ region: SEOUL_REGION, credentials: fromEnv(), sha256: Sha256 });
  return presigner;
}

/** The bucket's name, read from its variable on first use. */
function bucket(): string {
  return requireEnv(PHOTOS_BUCKET_ENV);
}

/** Where a key is reached: the emulator path-style, S3 in Seoul virtual-hosted style. */
function target(key: string): { protocol: string; hostname: string; port?: number; path: string } {
  const endpoint = process.env[ENV.endpoint];
  const path = `/${key.split('/').map(encodeURIComponent).join('/')}`;
  if (endpoint) {
    const url = new URL(endpoint);
    return {
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: `/${bucket()}${path === '/' ? '' : path}`,
    };
  }
  return { protocol: 'https:', hostname: `${bucket()}.s3.${SEOUL_REGION}.amazonaws.com`, path };
}

/** A signed request a client (or this adapter) sends as is: its URL and the headers it must carry. */
export interface SignedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

async function presign(
  method: string,
  key: string,
  options: {
    query?: Record<string, string>;
    headers?: Record<string, string>;
    seconds?: number;
  } = {},
): Promise<SignedRequest> {
  const t = target(key);
  const headers = { ...(options.headers ?? {}) };
  const signed = await signer().presign(
    {
      method,
      protocol: t.protocol,
      hostname: t.hostname,
      ...(t.port ? { port: t.port } : {}),
      path: t.path,
      query: options.query ?? {},
      headers: { ...headers, host: t.port ? `${t.hostname}:${t.port}` : t.hostname },
    },
    {
      expiresIn: options.seconds ?? PHOTO_LINK_SECONDS,
      // The presigner leaves content-type unsigned by default; the limits are the point here.
      signableHeaders: new Set(Object.keys(headers).map((h) => h.toLowerCase())),
    },
  );
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(signed.query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) if (v !== null) query.append(name, v);
  }
  const port = signed.port ? `:${signed.port}` : '';
  // S3 wants spaces as %20 in a signed query, never `+`.
  const search = query.toString().replace(/\+/g, '%20');
  return {
    method,
    url: `${signed.protocol}//${signed.hostname}${port}${signed.path}${search ? `?${search}` : ''}`,
    headers,
  };
}

/** Sends a signed request; any network failure or timeout fails closed. */
async function send(req: SignedRequest, body?: string): Promise<Response> {
  try {
    return await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
  } catch (error) {
    throw new DependencyFailed('s3', { cause: error });
  }
}

function unexpected(res: Response): DependencyFailed {
  return new DependencyFailed('s3', { cause: new Error(`S3 answered ${res.status}`) });
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

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (s: string) => s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e]!);
const escapeXml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => `&${Object.keys(ENTITIES).find((k) => ENTITIES[k] === c)};`);

/** Every `<tag>…</tag>` block of a response, as text. */
function blocks(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!);
}
function field(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  return m ? unescapeXml(m[1]!) : undefined;
}

/** One version or delete marker of an object. */
export interface ObjectVersion {
  readonly key: string;
  readonly versionId: string;
}

/** Every version and delete marker under `prefix` (ListObjectVersions, every page). */
export async function listVersions(prefix: string): Promise<ObjectVersion[]> {
  const found: ObjectVersion[] = [];
  let marker: { key: string; version?: string } | undefined;
  do {
    const query: Record<string, string> = { versions: '', prefix };
    if (marker) {
      query['key-marker'] = marker.key;
      if (marker.version) query['version-id-marker'] = marker.version;
    }
    const res = await send(await presign('GET', '', { query }));
    if (!res.ok) throw unexpected(res);
    const xml = await res.text();
    for (const v of [...blocks(xml, 'Version'), ...blocks(xml, 'DeleteMarker')]) {
      const key = field(v, 'Key');
      const versionId = field(v, 'VersionId');
      if (key === undefined || versionId === undefined) throw unexpected(res);
      found.push({ key, versionId });
    }
    const nextKey = field(xml, 'NextKeyMarker');
    marker =
      field(xml, 'IsTruncated') === 'true' && nextKey
        ? { key: nextKey, version: field(xml, 'NextVersionIdMarker') }
        : undefined;
  } while (marker);
  return found;
}

/** Deletes each given version (DeleteObjects, 1,000 a call); fails closed if S3 reports any error. */
export async function deleteVersions(versions: readonly ObjectVersion[]): Promise<void> {
  for (let i = 0; i < versions.length; i += DELETE_BATCH) {
    const batch = versions.slice(i, i + DELETE_BATCH);
    const body = `<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet>${batch
      .map(
        (v) =>
          `<Object><Key>${escapeXml(v.key)}</Key><VersionId>${escapeXml(v.versionId)}</VersionId></Object>`,
      )
      .join('')}</Delete>`;
    const md5 = createHash('md5').update(body).digest('base64');
    const req = await presign('POST', '', {
      query: { delete: '' },
      headers: { 'content-md5': md5, 'content-type': 'application/xml' },
    });
    const res = await send(req, body);
    if (!res.ok) throw unexpected(res);
    // DeleteObjects answers 200 even when some keys failed: each failure is an <Error> entry.
    if (blocks(await res.text(), 'Error').length > 0) throw unexpected(res);
  }
}

/** Deletes every version and delete marker under `prefix`; returns how many it deleted. */
export async function erasePrefix(prefix: string): Promise<number> {
  const versions = await listVersions(prefix);
  await deleteVersions(versions);
  return versions.length;
}
