/**
 * What the catalogue asks of a photo (L2, L1): which item a subject's photo is, the types and
 * size it accepts, and that it is held only while its purpose's consent stands. Pure: no store.
 */
import type { Catalogue, Item } from '../../../policy/schema';
import { InvalidInput, NotFound } from '../../runtime/errors';

/** The photo item of a subject (the member's own, or a baby's); 404 when the profile has none. */
export function photoItemOf(
  c: Catalogue,
  subject: 'member' | 'baby',
): [string, Item & { format: ImageFormat }] {
  const found = Object.entries(c.items).find(
    ([, item]) => item.store === 'photos' && item.subject === subject,
  );
  if (!found || found[1].format.type !== 'image')
    throw new NotFound('No photo item', `The policy declares no photo for a ${subject}.`);
  return found as [string, Item & { format: ImageFormat }];
}

/** The format of an image item. */
export type ImageFormat = Extract<Item['format'], { type: 'image' }>;

/** Refuses an upload the item does not accept: another type, or more bytes than it allows. */
export function checkUpload(format: ImageFormat, mediaType: string, bytes: number): void {
  const problems: { field: string; problem: string }[] = [];
  if (!(format.mediaTypes as readonly string[]).includes(mediaType))
    problems.push({ field: 'mediaType', problem: `must be one of ${format.mediaTypes.join(', ')}` });
  if (bytes > format.maxBytes)
    problems.push({ field: 'bytes', problem: `must be at most ${format.maxBytes}` });
  if (problems.length > 0) throw new InvalidInput(problems);
}

/** Whether a stored object keeps to the item's limits (S3 enforces them on the signed upload). */
export function withinLimits(format: ImageFormat, stored: { mediaType: string; bytes: number }): boolean {
  return (
    (format.mediaTypes as readonly string[]).includes(stored.mediaType) && stored.bytes <= format.maxBytes
  );
}
