/**
 * S3 spoken to through SigV4 query-signed requests and `fetch`, without the S3 client: the
 * client, its REST-XML protocol and checksums add ~80 KB to a function (and ~100 KB with its
 * event-stream codec), and S3's presigner, with the multi-region signer it brings, ~5 KB. A
 * request is signed here as the presigner signs it. The photos bucket, the operator's bucket
 * silos and the imports bucket are reached through it. Any failure, or an answer that is not
 * what S3 promises, becomes {@link DependencyFailed}: the caller fails closed and a retry starts
 * over.
 */
import { createHash } from 'node:crypto';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SignatureV4 } from '@smithy/signature-v4';
import { ENV } from '../../model/resources';
import { SEOUL_REGION } from '../../policy/schema';
import { DependencyFailed } from '../runtime/errors';
import { CALL_TIMEOUT_MS, fetchWithin, Sha256 } from './signed-fetch';

/** How long a request this adapter signs for itself stays valid: it is sent at once. */
const OWN_REQUEST_SECONDS = 60;
/** DeleteObjects takes at most this many keys per call. */
const DELETE_BATCH = 1_000;

let s3Signer: SignatureV4 | undefined;
/** S3's signer: paths signed as they are sent (not escaped twice), no checksum of the payload. */
function signer(): SignatureV4 {
  s3Signer ??= new SignatureV4({
    service: 's3',
    region: SEOUL_REGION,
    credentials: fromEnv(),
    sha256: Sha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  return s3Signer;
}

/** Where a key of `bucket` is reached: the emulator path-style, S3 in Seoul virtual-hosted style. */
function target(
  bucket: string,
  key: string,
): { protocol: string; hostname: string; port?: number; path: string } {
  const endpoint = process.env[ENV.endpoint];
  const path = `/${key.split('/').map(encodeURIComponent).join('/')}`;
  if (endpoint) {
    const url = new URL(endpoint);
    return {
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: `/${bucket}${path === '/' ? '' : path}`,
    };
  }
  return { protocol: 'https:', hostname: `${bucket}.s3.${SEOUL_REGION}.amazonaws.com`, path };
}

/** A signed request a client (or this adapter) sends as is: its URL and the headers it must carry. */
export interface SignedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Signs `method` on `key` of `bucket` (the bucket itself when `key` is empty), valid `seconds`. */
export async function presign(
  bucket: string,
  method: string,
  key: string,
  options: {
    query?: Record<string, string>;
    headers?: Record<string, string>;
    seconds?: number;
  } = {},
): Promise<SignedRequest> {
  const t = target(bucket, key);
  const headers = { ...(options.headers ?? {}) };
  const signed = await signer().presign(
    {
      method,
      protocol: t.protocol,
      hostname: t.hostname,
      ...(t.port ? { port: t.port } : {}),
      path: t.path,
      query: options.query ?? {},
      // The body is not signed, as with S3's presigner: the client sends its own.
      headers: {
        ...headers,
        host: t.port ? `${t.hostname}:${t.port}` : t.hostname,
        'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
      },
    },
    {
      expiresIn: options.seconds ?? OWN_REQUEST_SECONDS,
      // S3's presigner leaves content-type unsigned; the limits the caller sets are signed here.
      unsignableHeaders: new Set(['content-type']),
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

/**
 * Sends a signed request; any network failure or timeout fails closed. The timeout covers the
 * answer's body too, unless `stream`: then it ends with the headers, and the caller reads the
 * body at its own pace.
 */
export async function send(req: SignedRequest, body?: string, stream = false): Promise<Response> {
  try {
    return await fetchWithin(
      req.url,
      { method: req.method, headers: req.headers, ...(body === undefined ? {} : { body }) },
      CALL_TIMEOUT_MS,
      stream,
    );
  } catch (error) {
    throw new DependencyFailed('s3', { cause: error });
  }
}

/** An answer's body as text; a failure while reading it fails closed. */
async function textOf(res: Response): Promise<string> {
  try {
    return await res.text();
  } catch (error) {
    throw new DependencyFailed('s3', { cause: error });
  }
}

/** The failure of an answer that is not what S3 promises. */
export function unexpected(res: Response): DependencyFailed {
  return new DependencyFailed('s3', { cause: new Error(`S3 answered ${res.status}`) });
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|apos);|&#(\d+);|&#x([0-9a-fA-F]+);/g, (_, e: string, d: string, h: string) =>
    e ? ENTITIES[e]! : String.fromCodePoint(d ? Number(d) : Number.parseInt(h, 16)),
  );
const escapeXml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => `&${Object.keys(ENTITIES).find((k) => ENTITIES[k] === c)};`);

/** Every `<tag>…</tag>` block of a response, as text. */
function blocks(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!);
}
/** The text of the first `<tag>` of a response, unescaped; undefined when there is none. */
function field(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  return m ? unescapeXml(m[1]!) : undefined;
}

/** One version or delete marker of an object. */
export interface ObjectVersion {
  readonly key: string;
  readonly versionId: string;
}

/** One page of versions and delete markers under `prefix` (ListObjectVersions), and whether more follow. */
async function versionsPage(
  bucket: string,
  prefix: string,
  marker?: { key: string; version?: string },
): Promise<{ versions: ObjectVersion[]; next?: { key: string; version?: string } }> {
  const query: Record<string, string> = { versions: '', prefix, 'max-keys': String(DELETE_BATCH) };
  if (marker) {
    query['key-marker'] = marker.key;
    if (marker.version) query['version-id-marker'] = marker.version;
  }
  const res = await send(await presign(bucket, 'GET', '', { query }));
  if (!res.ok) throw unexpected(res);
  const xml = await textOf(res);
  const versions: ObjectVersion[] = [];
  for (const v of [...blocks(xml, 'Version'), ...blocks(xml, 'DeleteMarker')]) {
    const key = field(v, 'Key');
    const versionId = field(v, 'VersionId');
    if (key === undefined || versionId === undefined) throw unexpected(res);
    versions.push({ key, versionId });
  }
  const nextKey = field(xml, 'NextKeyMarker');
  return field(xml, 'IsTruncated') === 'true' && nextKey
    ? { versions, next: { key: nextKey, version: field(xml, 'NextVersionIdMarker') } }
    : { versions };
}

/** Every version and delete marker under `prefix` of `bucket` (ListObjectVersions, every page). */
export async function listVersions(bucket: string, prefix: string): Promise<ObjectVersion[]> {
  const found: ObjectVersion[] = [];
  let marker: { key: string; version?: string } | undefined;
  do {
    const page = await versionsPage(bucket, prefix, marker);
    found.push(...page.versions);
    marker = page.next;
  } while (marker);
  return found;
}

/** The first page (up to {@link DELETE_BATCH}) of versions and delete markers under `prefix`. */
export async function firstVersions(bucket: string, prefix: string): Promise<ObjectVersion[]> {
  return (await versionsPage(bucket, prefix)).versions;
}

/** Deletes each given version (DeleteObjects, 1,000 a call); fails closed if S3 reports any error. */
export async function deleteVersions(bucket: string, versions: readonly ObjectVersion[]): Promise<void> {
  for (let i = 0; i < versions.length; i += DELETE_BATCH) {
    const batch = versions.slice(i, i + DELETE_BATCH);
    const body = `<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet>${batch
      .map(
        (v) =>
          `<Object><Key>${escapeXml(v.key)}</Key><VersionId>${escapeXml(v.versionId)}</VersionId></Object>`,
      )
      .join('')}</Delete>`;
    const md5 = createHash('md5').update(body).digest('base64');
    const req = await presign(bucket, 'POST', '', {
      query: { delete: '' },
      headers: { 'content-md5': md5, 'content-type': 'application/xml' },
    });
    const res = await send(req, body);
    if (!res.ok) throw unexpected(res);
    // DeleteObjects answers 200 even when some keys failed: each failure is an <Error> entry.
    if (blocks(await textOf(res), 'Error').length > 0) throw unexpected(res);
  }
}

/** One current object listed under a prefix. */
export interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly lastModified?: string;
}

/** Every current object under `prefix` of `bucket` (ListObjectsV2, every page). */
export async function listObjects(bucket: string, prefix: string): Promise<ListedObject[]> {
  const found: ListedObject[] = [];
  let token: string | undefined;
  do {
    const query: Record<string, string> = { 'list-type': '2', prefix };
    if (token) query['continuation-token'] = token;
    const res = await send(await presign(bucket, 'GET', '', { query }));
    if (!res.ok) throw unexpected(res);
    const xml = await textOf(res);
    for (const entry of blocks(xml, 'Contents')) {
      const key = field(entry, 'Key');
      const size = Number(field(entry, 'Size'));
      if (key === undefined || !Number.isSafeInteger(size)) throw unexpected(res);
      const modified = field(entry, 'LastModified');
      found.push({ key, size, ...(modified ? { lastModified: new Date(modified).toISOString() } : {}) });
    }
    token = field(xml, 'IsTruncated') === 'true' ? field(xml, 'NextContinuationToken') : undefined;
  } while (token);
  return found;
}

/** The bytes of object `key` of `bucket` (GetObject). */
export async function getObject(bucket: string, key: string): Promise<Uint8Array> {
  const res = await send(await presign(bucket, 'GET', key));
  if (!res.ok) throw unexpected(res);
  try {
    return new Uint8Array(await res.arrayBuffer());
  } catch (error) {
    throw new DependencyFailed('s3', { cause: error });
  }
}

/** The answer to GetObject of `key` of `bucket`, its body not yet read (for a stream). */
export async function getObjectStream(bucket: string, key: string): Promise<Response> {
  const res = await send(await presign(bucket, 'GET', key), undefined, true);
  if (!res.ok) throw unexpected(res);
  return res;
}
