/**
 * Profile photos end to end for the littleone profile: the API signs, the image travels to moto's
 * S3 over HTTP through the presigned request, and the bucket is listed back, every version and
 * delete marker, after each erasure.
 */
import { ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, physicalNames } from '../../local/bootstrap';
import { memberPhotoPrefix } from '../../model/photos';
import { startTestStack, type TestStack } from './harness';
import { joinAt, runInactivity, yearOf } from './inactivity-fixtures';
import { call } from './member-api';
import { asOfficer } from './officer-api';

const google = { method: 'google' as const };
const withPhotos = {
  membership: true,
  'service-delivery': true,
  'abuse-prevention': true,
  'profile-photos': true,
};

/** A JPEG's first bytes (SOI, APP0 JFIF), then filler: what the app would send. */
function jpeg(size: number): Buffer {
  const image = Buffer.alloc(size, 0x20);
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]).copy(image);
  return image;
}

let stack: TestStack;
let s3: S3Client;
const bucket = physicalNames.photosBucket('littleone');

beforeAll(async () => {
  // Through the fault proxy, so a test can make S3 fail for the handlers alone.
  stack = await startTestStack('littleone', { faults: true });
  s3 = new S3Client({ ...clientConfig(stack.endpoint), forcePathStyle: true });
});
afterAll(async () => {
  s3?.destroy();
  await stack?.stop();
});

/** Joins `sub` (a Google member) with the photos consent given or not; returns the member id. */
async function join(sub: string, photos = true): Promise<string> {
  const res = await call(stack, 'POST', '/v1/members', {
    sub,
    token: google,
    body: {
      items: { userName: `Name ${sub}`, relationshipToBaby: 'mom' },
      consents: photos ? withPhotos : { ...withPhotos, 'profile-photos': false },
      ageAffirmation: true,
      policyVersion: '1.0',
    },
  });
  expect(res.status).toBe(201);
  return res.json.memberId;
}

/** Asks for an upload link at `path` and sends `image` through it, as the app does. */
async function upload(sub: string, path: string, image: Buffer): Promise<number> {
  const signed = await call(stack, 'POST', path, {
    sub,
    token: google,
    body: { mediaType: 'image/jpeg', bytes: image.length },
  });
  expect(signed.status).toBe(200);
  const { url, method, headers } = signed.json.upload;
  const put = await fetch(url, { method, headers, body: image });
  return put.status;
}

/** Every version and delete marker under `prefix`, as S3 lists them. */
async function versionsUnder(prefix: string): Promise<string[]> {
  const out = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }));
  return [...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])].map((v) => `${v.Key}@${v.VersionId}`);
}

async function addBaby(sub: string): Promise<string> {
  const res = await call(stack, 'POST', '/v1/me/babies', {
    sub,
    token: google,
    body: { items: { babyNickname: 'Dubu', babyGender: 'female' } },
  });
  expect(res.status).toBe(201);
  return res.json.babyId;
}

describe('profile photos (littleone)', () => {
  it('L2, L13: uploads through the presigned PUT to S3, and the owner alone downloads it', async () => {
    const memberId = await join('owner');
    const image = jpeg(2048);
    expect(await upload('owner', '/v1/me/photo', image)).toBe(200);

    const got = await call(stack, 'GET', '/v1/me/photo', { sub: 'owner', token: google });
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ item: 'userProfilePhoto', mediaType: 'image/jpeg', bytes: 2048 });
    const download = await fetch(got.json.download.url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(image)).toBe(true);
    // Stored encrypted under the members key (SSE-KMS), never as plain storage.
    expect(download.headers.get('x-amz-server-side-encryption')).toBe('aws:kms');

    // Another member's token names only its own keys: nothing of the owner's is reachable.
    await join('stranger');
    expect((await call(stack, 'GET', '/v1/me/photo', { sub: 'stranger', token: google })).status).toBe(404);
    const babyId = await addBaby('owner');
    expect(await upload('owner', `/v1/me/babies/${babyId}/photo`, jpeg(100))).toBe(200);
    const foreign = await call(stack, 'GET', `/v1/me/babies/${babyId}/photo`, {
      sub: 'stranger',
      token: google,
    });
    expect(foreign.status).toBe(404);
    expect(foreign.text).not.toContain(memberId);
    // Nor can a token that is no member's sign anything.
    expect((await call(stack, 'GET', '/v1/me/photo', { sub: 'nobody', token: google })).status).toBe(404);

    // L14: the view lists each photo held; L16: so does the export (the image stays behind its route).
    const view = await call(stack, 'GET', '/v1/me', { sub: 'owner', token: google });
    expect(view.json.photos.map((p: { item: string }) => p.item)).toEqual([
      'userProfilePhoto',
      'babyProfilePhoto',
    ]);
    const exported = await call(stack, 'GET', '/v1/me/export', { sub: 'owner', token: google });
    expect(exported.json.photos).toEqual([
      expect.objectContaining({ item: 'userProfilePhoto', mediaType: 'image/jpeg', bytes: 2048 }),
      expect.objectContaining({ item: 'babyProfilePhoto', babyId, bytes: 100 }),
    ]);
  });

  it('L1, L2: refuses an oversize or non-image upload, unknown fields and photos as URLs, without consent too; nothing is stored', async () => {
    const memberId = await join('refused', false);
    const ask = (body: unknown, path = '/v1/me/photo') =>
      call(stack, 'POST', path, { sub: 'refused', token: google, body });
    expect((await ask({ mediaType: 'image/jpeg', bytes: 5 * 1024 * 1024 + 1 })).status).toBe(400);
    expect((await ask({ mediaType: 'image/gif', bytes: 100 })).status).toBe(400);
    expect((await ask({ mediaType: 'image/jpeg', bytes: 0 })).status).toBe(400);
    expect((await ask({ mediaType: 'image/jpeg', bytes: 100, url: 'https://x.example/a.jpg' })).status).toBe(
      400,
    );
    // A photo is no longer a URL item of the member record.
    const patched = await call(stack, 'PATCH', '/v1/me', {
      sub: 'refused',
      token: google,
      body: { items: { userProfilePhoto: 'https://img.example.com/me.jpg' } },
    });
    expect(patched.status).toBe(400);
    // Well formed, but the consent photos need is not given (L1).
    const noConsent = await ask({ mediaType: 'image/jpeg', bytes: 100 });
    expect(noConsent.status).toBe(422);
    expect(noConsent.json.purpose).toBe('profile-photos');
    expect((await ask({ mediaType: 'image/png', bytes: 100 }, '/v1/me/babies/nobaby/photo')).status).toBe(
      404,
    );
    expect(await versionsUnder(memberPhotoPrefix(memberId))).toEqual([]);
  });

  it('L2: a stored object of another type than its upload was signed for is never served, and is erased', async () => {
    // S3 refuses a body whose type or size differs from the signed ones (SignatureDoesNotMatch);
    // moto does not check signatures, which lets this test store one to show the second line.
    const memberId = await join('mislabelled');
    const signed = await call(stack, 'POST', '/v1/me/photo', {
      sub: 'mislabelled',
      token: google,
      body: { mediaType: 'image/jpeg', bytes: 100 },
    });
    const { url, headers } = signed.json.upload;
    const put = await fetch(url, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'image/gif' },
      body: jpeg(100),
    });
    expect(put.status).toBe(200);
    const got = await call(stack, 'GET', '/v1/me/photo', { sub: 'mislabelled', token: google });
    expect(got.status).toBe(404);
    expect(await versionsUnder(memberPhotoPrefix(memberId))).toEqual([]);
  });

  it('L1, L8: withdrawing the photos consent erases every version of every photo, and fails closed on S3', async () => {
    const memberId = await join('consent');
    const babyId = await addBaby('consent');
    expect(await upload('consent', '/v1/me/photo', jpeg(300))).toBe(200);
    expect(await upload('consent', '/v1/me/photo', jpeg(400))).toBe(200);
    expect(await upload('consent', `/v1/me/babies/${babyId}/photo`, jpeg(500))).toBe(200);
    expect(await versionsUnder(memberPhotoPrefix(memberId))).toHaveLength(3);

    // S3 failing: 503, and the consent still stands.
    stack.faults!.inject({ service: 's3' });
    try {
      const failed = await call(stack, 'PUT', '/v1/me/consents/profile-photos', {
        sub: 'consent',
        token: google,
        body: { granted: false },
      });
      expect(failed.status).toBe(503);
    } finally {
      stack.faults!.reset();
    }
    const consents = await call(stack, 'GET', '/v1/me/consents', { sub: 'consent', token: google });
    expect(
      consents.json.consents.find((c: { purpose: string }) => c.purpose === 'profile-photos').granted,
    ).toBe(true);
    expect(await versionsUnder(memberPhotoPrefix(memberId))).toHaveLength(3);

    const withdrawn = await call(stack, 'PUT', '/v1/me/consents/profile-photos', {
      sub: 'consent',
      token: google,
      body: { granted: false },
    });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.json.destroyed.sort()).toEqual(['babyProfilePhoto', 'userProfilePhoto']);
    expect(await versionsUnder(memberPhotoPrefix(memberId))).toEqual([]);
    expect((await call(stack, 'GET', '/v1/me/photo', { sub: 'consent', token: google })).status).toBe(404);
    expect(
      (
        await call(stack, 'POST', '/v1/me/photo', {
          sub: 'consent',
          token: google,
          body: { mediaType: 'image/jpeg', bytes: 10 },
        })
      ).status,
    ).toBe(422);
  });

  it('L1: an upload signed before the consent was withdrawn and sent after it is never served, and is erased', async () => {
    const memberId = await join('late');
    const signed = await call(stack, 'POST', '/v1/me/photo', {
      sub: 'late',
      token: google,
      body: { mediaType: 'image/jpeg', bytes: 64 },
    });
    const withdrawn = await call(stack, 'PUT', '/v1/me/consents/profile-photos', {
      sub: 'late',
      token: google,
      body: { granted: false },
    });
    expect(withdrawn.json.destroyed).toEqual([]);
    const { url, method, headers } = signed.json.upload;
    expect((await fetch(url, { method, headers, body: jpeg(64) })).status).toBe(200);
    expect((await call(stack, 'GET', '/v1/me/photo', { sub: 'late', token: google })).status).toBe(404);
    const exported = await call(stack, 'GET', '/v1/me/export', { sub: 'late', token: google });
    expect(exported.json.photos).toEqual([]);
    expect(await versionsUnder(memberPhotoPrefix(memberId))).toEqual([]);
  });

  it("L8: deleting a baby erases the baby's photo, every version, and leaves the member's", async () => {
    const memberId = await join('baby');
    const babyId = await addBaby('baby');
    expect(await upload('baby', '/v1/me/photo', jpeg(200))).toBe(200);
    expect(await upload('baby', `/v1/me/babies/${babyId}/photo`, jpeg(300))).toBe(200);
    expect(await upload('baby', `/v1/me/babies/${babyId}/photo`, jpeg(310))).toBe(200);
    const deleted = await call(stack, 'DELETE', `/v1/me/babies/${babyId}`, { sub: 'baby', token: google });
    expect(deleted.status).toBe(204);
    const left = await versionsUnder(memberPhotoPrefix(memberId));
    expect(left).toHaveLength(1);
    expect(left[0]).toContain('/member/userProfilePhoto@');
  });

  it('L7, L8: withdrawal erases every photo of the member and the babies, every version', async () => {
    const memberId = await join('leaver');
    const babyId = await addBaby('leaver');
    expect(await upload('leaver', '/v1/me/photo', jpeg(200))).toBe(200);
    expect(await upload('leaver', '/v1/me/photo', jpeg(250))).toBe(200);
    expect(await upload('leaver', `/v1/me/babies/${babyId}/photo`, jpeg(300))).toBe(200);
    const withdrawn = await call(stack, 'DELETE', '/v1/me', { sub: 'leaver', token: google });
    expect(withdrawn.status).toBe(200);
    expect(await versionsUnder(memberPhotoPrefix(memberId))).toEqual([]);
  });

  it("G9, L8: inactivity destruction erases the member's photos, every version", async () => {
    // Joined now: the member's own calls below count as a sign-in now, as the app's would.
    const { signIn, day } = yearOf(new Date().toISOString());
    await joinAt('littleone', 'dormant', 'dormant@example.com', signIn);
    expect(await upload('dormant', '/v1/me/photo', jpeg(140))).toBe(200);
    expect(await upload('dormant', '/v1/me/photo', jpeg(150))).toBe(200);
    await runInactivity(stack, day(335));
    expect(await versionsUnder(memberPhotoPrefix('dormant'))).toHaveLength(2);
    await runInactivity(stack, day(365));
    expect((await call(stack, 'GET', '/v1/me', { sub: 'dormant', token: google })).status).toBe(404);
    expect(await versionsUnder(memberPhotoPrefix('dormant'))).toEqual([]);
  });

  it("L11, L8: an under-14 termination by the officer erases the child's photos, every version", async () => {
    const memberId = await join('child');
    expect(await upload('child', '/v1/me/photo', jpeg(120))).toBe(200);
    expect(await upload('child', '/v1/me/photo', jpeg(130))).toBe(200);
    const terminated = await asOfficer(stack, 'POST', `/v1/admin/members/${memberId}/terminate`, {
      reason: 'a parent reported the member is 12',
    });
    expect(terminated.status).toBe(200);
    expect(await versionsUnder(memberPhotoPrefix(memberId))).toEqual([]);
  });
});
