/**
 * Profile photos (L2, L1, L7/G7, L8/G8/G12, L14, L16): the member uploads each photo straight to
 * the photos bucket through a presigned PUT that only accepts the declared type and size, and
 * reads it back through a presigned GET; nobody else's token reaches it, since every key is
 * derived from the caller's own member id. Photos are erased, every version, with the member, with
 * the baby, and when the consent that justifies them is withdrawn — before the records that point
 * to them, so a failure leaves something to retry, never an orphan.
 */
import {
  babyPhotoPrefix,
  hasPhotos,
  memberPhotoPrefix,
  type PhotoOwner,
  photoItems,
  photoKey,
} from '../../../model/photos';
import type { Catalogue } from '../../../policy/schema';
import {
  deleteVersions,
  downloadRequest,
  erasePrefix,
  headObject,
  listVersions,
  type SignedRequest,
  uploadRequest,
} from '../../adapters/photo-bucket';
import { NotFound } from '../../runtime/errors';
import { noSuchBaby } from '../babies/rules';
import { consentMissingFor, grantedPurposes, requireConsentFor } from '../consents/rules';
import { type MemberData, requireMemberData } from '../members/store';
import { checkUpload, photoItemOf, withinLimits } from './rules';

/** A presigned request and when it stops working. */
export interface PhotoLink extends SignedRequest {
  readonly expiresAt: string;
}

function linkOf(req: SignedRequest, now: Date, seconds: number): PhotoLink {
  return { ...req, expiresAt: new Date(now.getTime() + seconds * 1000).toISOString() };
}

function requireBaby(data: MemberData, babyId: string | undefined): void {
  if (babyId !== undefined && !data.babies.some((b) => b.babyId === babyId)) throw noSuchBaby();
}

/**
 * Signs the upload of the member's photo, or of one of their babies': only for a member whose
 * consent covers photos (L1), only of a type and size the item accepts.
 */
export async function requestUpload(
  c: Catalogue,
  memberId: string,
  babyId: string | undefined,
  upload: { mediaType: string; bytes: number },
  now: Date,
  seconds: number,
): Promise<{ item: string; upload: PhotoLink }> {
  const [itemId, item] = photoItemOf(c, babyId === undefined ? 'member' : 'baby');
  checkUpload(item.format, upload.mediaType, upload.bytes);
  const data = await requireMemberData(memberId);
  requireBaby(data, babyId);
  requireConsentFor(c, itemId, grantedPurposes(data.profile.consents));
  const req = await uploadRequest(photoKey({ memberId, babyId }, itemId), upload.mediaType, upload.bytes);
  return { item: itemId, upload: linkOf(req, now, seconds) };
}

/** A photo as the member's view and export describe it. */
export interface PhotoView {
  readonly item: string;
  readonly babyId?: string;
  readonly mediaType: string;
  readonly bytes: number;
  readonly uploadedAt: string;
}

/**
 * The stored photo of an owner if it may be shown: one that breaks the item's limits, or whose
 * consent was withdrawn while its upload was in flight, is erased on sight and counts as none.
 */
async function storedPhoto(
  c: Catalogue,
  data: MemberData,
  owner: PhotoOwner,
  itemId: string,
): Promise<PhotoView | undefined> {
  const item = c.items[itemId]!;
  if (item.format.type !== 'image') return undefined;
  const key = photoKey(owner, itemId);
  const stored = await headObject(key);
  if (!stored) return undefined;
  if (
    !withinLimits(item.format, stored) ||
    consentMissingFor(c, itemId, grantedPurposes(data.profile.consents)) !== undefined
  ) {
    await eraseKey(key);
    return undefined;
  }
  return {
    item: itemId,
    ...(owner.babyId === undefined ? {} : { babyId: owner.babyId }),
    mediaType: stored.mediaType,
    bytes: stored.bytes,
    uploadedAt: stored.lastModified,
  };
}

/** Signs the download of the member's photo or a baby's; 404 when there is none to show. */
export async function requestDownload(
  c: Catalogue,
  memberId: string,
  babyId: string | undefined,
  now: Date,
  seconds: number,
): Promise<PhotoView & { download: PhotoLink }> {
  const [itemId] = photoItemOf(c, babyId === undefined ? 'member' : 'baby');
  const data = await requireMemberData(memberId);
  requireBaby(data, babyId);
  const photo = await storedPhoto(c, data, { memberId, babyId }, itemId);
  if (!photo) throw new NotFound('No photo', 'No photo is held: upload one first.');
  const req = await downloadRequest(photoKey({ memberId, babyId }, itemId));
  return { ...photo, download: linkOf(req, now, seconds) };
}

/** Every photo held of a member and their babies, described (view and export, L14/L16). */
export async function photosOf(c: Catalogue, data: MemberData): Promise<PhotoView[]> {
  const { memberId } = data.profile;
  const owners: PhotoOwner[] = [{ memberId }, ...data.babies.map((b) => ({ memberId, babyId: b.babyId }))];
  const found: PhotoView[] = [];
  for (const owner of owners) {
    for (const [itemId] of photoItems(c, owner.babyId === undefined ? 'member' : 'baby')) {
      const photo = await storedPhoto(c, data, owner, itemId);
      if (photo) found.push(photo);
    }
  }
  return found;
}

/** Deletes every version of exactly `key` (a prefix listing may also hold longer keys). */
async function eraseKey(key: string): Promise<number> {
  const versions = (await listVersions(key)).filter((v) => v.key === key);
  await deleteVersions(versions);
  return versions.length;
}

/** Erases every photo of a member, every version (withdrawal, termination, inactivity). */
export async function eraseMemberPhotos(c: Catalogue, memberId: string): Promise<void> {
  if (hasPhotos(c)) await erasePrefix(memberPhotoPrefix(memberId));
}

/** Erases every photo of one baby, every version (the baby is deleted). */
export async function eraseBabyPhotos(c: Catalogue, memberId: string, babyId: string): Promise<void> {
  if (hasPhotos(c)) await erasePrefix(babyPhotoPrefix(memberId, babyId));
}

/**
 * Erases every version of the photo items in `doomed` (a consent withdrawn, L1), for the member
 * and each baby; returns the items of which something was erased.
 */
export async function erasePhotoItems(
  c: Catalogue,
  memberId: string,
  babyIds: readonly string[],
  doomed: ReadonlySet<string>,
): Promise<string[]> {
  const erased = new Set<string>();
  const owners: PhotoOwner[] = [{ memberId }, ...babyIds.map((babyId) => ({ memberId, babyId }))];
  for (const owner of owners) {
    for (const [itemId] of photoItems(c, owner.babyId === undefined ? 'member' : 'baby')) {
      if (doomed.has(itemId) && (await eraseKey(photoKey(owner, itemId))) > 0) erased.add(itemId);
    }
  }
  return [...erased];
}
