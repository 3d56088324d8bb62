/**
 * The signed requests of the photos bucket, as the artefact S3 checks: an upload link binds the
 * declared type and exact size (S3 recomputes the signature over the headers it receives, so any
 * other type or size fails), expires after five minutes, and reaches Seoul only.
 */
import { createHash, createHmac } from 'node:crypto';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { downloadRequest, uploadRequest } from '../../lambdas/adapters/photo-bucket';
import { Sha256 } from '../../lambdas/adapters/signed-fetch';
import { presign } from '../../lambdas/adapters/signed-s3';
import { PHOTO_LINK_SECONDS, PHOTOS_BUCKET_ENV } from '../../model/photos';

const secret = 'unit-secret';
const saved = { ...process.env };
beforeAll(() => {
  delete process.env.AWS_ENDPOINT_URL;
  process.env[PHOTOS_BUCKET_ENV] = 'littleone-photos-bucket';
  process.env.AWS_ACCESS_KEY_ID = 'AKIDUNITTEST';
  process.env.AWS_SECRET_ACCESS_KEY = secret;
  delete process.env.AWS_SESSION_TOKEN;
});
afterAll(() => {
  process.env = saved;
});

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** The SigV4 signature S3 computes for a PUT carrying `headers` on `url` (query-string auth). */
function signatureS3Computes(url: URL, headers: Record<string, string>): string {
  const q = new URLSearchParams(url.search);
  const signedNames = q.get('X-Amz-SignedHeaders')!.split(';');
  q.delete('X-Amz-Signature');
  const all: Record<string, string> = { ...headers, host: url.host };
  const canonicalQuery = [...q.entries()]
    .map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)])
    .sort(([a], [b]) => (a! < b! ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = [
    'PUT',
    url.pathname,
    canonicalQuery,
    signedNames.map((n) => `${n}:${all[n]}\n`).join(''),
    signedNames.join(';'),
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const date = q.get('X-Amz-Date')!;
  const scope = q.get('X-Amz-Credential')!.split('/').slice(1).join('/');
  const toSign = ['AWS4-HMAC-SHA256', date, scope, createHash('sha256').update(canonical).digest('hex')].join(
    '\n',
  );
  const [day, region, service] = scope.split('/');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day!), region!), service!), 'aws4_request');
  return hmac(key, toSign).toString('hex');
}

describe('photo bucket requests', () => {
  it('L2: an upload link signs the type and exact size, so S3 refuses any other', async () => {
    const req = await uploadRequest('photos/m-1/member/userProfilePhoto', 'image/jpeg', 48_213);
    const url = new URL(req.url);
    expect(url.host).toBe('littleone-photos-bucket.s3.ap-northeast-2.amazonaws.com');
    expect(url.protocol).toBe('https:');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(url.searchParams.get('X-Amz-Expires')).toBe(String(PHOTO_LINK_SECONDS));
    expect(req.headers).toEqual({ 'content-type': 'image/jpeg', 'content-length': '48213' });

    const given = url.searchParams.get('X-Amz-Signature');
    expect(signatureS3Computes(url, req.headers)).toBe(given);
    expect(signatureS3Computes(url, { ...req.headers, 'content-length': '48214' })).not.toBe(given);
    expect(signatureS3Computes(url, { ...req.headers, 'content-type': 'image/gif' })).not.toBe(given);
  });

  it('L6: a download link reaches the Seoul bucket, over TLS, for five minutes', async () => {
    const url = new URL((await downloadRequest('photos/m-1/member/userProfilePhoto')).url);
    expect(url.origin).toBe('https://littleone-photos-bucket.s3.ap-northeast-2.amazonaws.com');
    expect(url.pathname).toBe('/photos/m-1/member/userProfilePhoto');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/\/ap-northeast-2\/s3\/aws4_request$/);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
  });
});

describe("signing as S3's own presigner signs", () => {
  // The same requests, in Seoul and on an emulator, signed at one instant by both.
  const requests: [string, string, string, Parameters<typeof presign>[3]][] = [
    ['a download', 'GET', 'photos/m-1/member/userProfilePhoto', { seconds: 300 }],
    ['a key with spaces and Hangul', 'GET', 'imports/첫 파일 2026.jsonl', {}],
    [
      'an upload with its limits',
      'PUT',
      'photos/m-2/baby-1/photo',
      { headers: { 'content-type': 'image/png', 'content-length': '10' } },
    ],
    [
      'a listing of a prefix',
      'GET',
      '',
      { query: { 'list-type': '2', prefix: 'photos/m-1/', 'continuation-token': 'a+b/c=' } },
    ],
    [
      'a batch deletion',
      'POST',
      '',
      { query: { delete: '' }, headers: { 'content-type': 'application/xml', 'content-md5': 'abc==' } },
    ],
  ];
  it.each(requests)('%s', async (_what, method, key, options) => {
    vi.useFakeTimers({ now: new Date('2026-11-30T01:02:03Z'), toFake: ['Date'] });
    try {
      for (const endpoint of [undefined, 'http://127.0.0.1:4566']) {
        if (endpoint) process.env.AWS_ENDPOINT_URL = endpoint;
        else delete process.env.AWS_ENDPOINT_URL;
        const mine = await presign('littleone-photos-bucket', method, key, options);
        const url = new URL(mine.url);
        const headers = { ...(options?.headers ?? {}) };
        const theirs = await new S3RequestPresigner({
          region: 'ap-northeast-2',
          credentials: fromEnv(),
          sha256: Sha256,
        }).presign(
          {
            method,
            protocol: url.protocol,
            hostname: url.hostname,
            ...(url.port ? { port: Number(url.port) } : {}),
            path: url.pathname,
            query: options?.query ?? {},
            headers: { ...headers, host: url.host },
          },
          {
            expiresIn: options?.seconds ?? 60,
            signableHeaders: new Set(Object.keys(headers)),
          },
        );
        const query = (q: Iterable<[string, string]>) => Object.fromEntries(q);
        expect(query(url.searchParams)).toEqual(
          query(Object.entries(theirs.query as Record<string, string>)),
        );
        expect(url.pathname).toBe(theirs.path);
      }
    } finally {
      vi.useRealTimers();
      delete process.env.AWS_ENDPOINT_URL;
    }
  });
});
