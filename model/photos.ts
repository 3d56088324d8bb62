/**
 * The photos bucket as lib/, lambdas/ and local/ share it: where each photo is kept, how long a
 * signed link lives, and how long an overwritten or deleted version may linger. A photo item
 * (format `image`, store `photos`) is one object; its key names the member and, for a baby's
 * photo, the baby, so erasing a member or a baby is erasing one key prefix, every version of it.
 */
import type { Catalogue, Item } from '../policy/schema';

/** The environment variable holding the photos bucket's name. */
export const PHOTOS_BUCKET_ENV = 'PHOTOS_BUCKET';

/** The prefix under which every photo object lives (the lifecycle rules apply to it). */
export const PHOTO_PREFIX = 'photos/';

/** Seconds a presigned upload or download stays usable: long enough for a phone, short for a leak. */
export const PHOTO_LINK_SECONDS = 300;

/**
 * Days a noncurrent version (an overwritten photo) or a delete marker lives before the bucket's
 * lifecycle removes it. Erasure deletes every version at once; this bounds what anything else
 * (a replaced photo, a failed erasure retried later) can leave behind.
 */
export const NONCURRENT_VERSION_DAYS = 1;

/** Days an interrupted multipart upload is kept before the lifecycle aborts it. */
export const INCOMPLETE_UPLOAD_DAYS = 1;

/** Whose photo: the member's own, or one of their babies'. */
export type PhotoOwner = { readonly memberId: string; readonly babyId?: string };

/** The key prefix of every photo of a member (their own and their babies'). */
export function memberPhotoPrefix(memberId: string): string {
  return `${PHOTO_PREFIX}${memberId}/`;
}

/** The key prefix of every photo of one baby. */
export function babyPhotoPrefix(memberId: string, babyId: string): string {
  return `${memberPhotoPrefix(memberId)}babies/${babyId}/`;
}

/** The object key of a photo item of a member or a baby. */
export function photoKey(owner: PhotoOwner, itemId: string): string {
  return owner.babyId === undefined
    ? `${memberPhotoPrefix(owner.memberId)}member/${itemId}`
    : `${babyPhotoPrefix(owner.memberId, owner.babyId)}${itemId}`;
}

/** The photo items of a catalogue for a subject, with their ids. */
export function photoItems(c: Catalogue, subject?: 'member' | 'baby'): [string, Item][] {
  return Object.entries(c.items).filter(
    ([, item]) => item.store === 'photos' && (subject === undefined || item.subject === subject),
  );
}

/** Whether the profile keeps photos at all (only then does the stack have a photos bucket). */
export function hasPhotos(c: Catalogue): boolean {
  return photoItems(c).length > 0;
}
