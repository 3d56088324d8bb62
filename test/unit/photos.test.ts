/**
 * Photo items in the catalogue and the rules on an upload (L2, L1): images live in the photos
 * store and only there, at most one per member and per baby, of the types and size the item
 * accepts; keys derive from the owner alone.
 */
import { describe, expect, it } from 'vitest';
import { checkUpload, photoItemOf, withinLimits } from '../../lambdas/features/photos/rules';
import { babyPhotoPrefix, hasPhotos, memberPhotoPrefix, photoKey } from '../../model/photos';
import { loadCatalogue, parseCatalogue, profiles } from '../../policy/catalogue';

const littleone = loadCatalogue('littleone');
const copy = () =>
  structuredClone(profiles.littleone) as unknown as { items: Record<string, Record<string, unknown>> };

describe('photo items in the catalogue', () => {
  it("L2: littleone's member and baby photos are images in the photos store; lgcns has none", () => {
    expect(littleone.items.userProfilePhoto).toMatchObject({
      store: 'photos',
      subject: 'member',
      format: { type: 'image', mediaTypes: ['image/jpeg', 'image/png', 'image/webp'], maxBytes: 5_242_880 },
    });
    expect(littleone.items.babyProfilePhoto).toMatchObject({ store: 'photos', subject: 'baby' });
    expect(hasPhotos(littleone)).toBe(true);
    expect(hasPhotos(loadCatalogue('lgcns'))).toBe(false);
  });

  it('refuses an image outside the photos store, a URL in it, a second photo per subject, and images over 5 MiB', () => {
    const urlPhoto = copy();
    urlPhoto.items.userProfilePhoto!.format = { type: 'url' };
    expect(() => parseCatalogue(urlPhoto)).toThrowError(/items\.userProfilePhoto: images, and only images/);
    const stored = copy();
    stored.items.userProfilePhoto!.store = 'members';
    expect(() => parseCatalogue(stored)).toThrowError(/images, and only images/);
    const twice = copy();
    twice.items.secondPhoto = { ...twice.items.userProfilePhoto };
    expect(() => parseCatalogue(twice)).toThrowError(/at most one photo per member/);
    const huge = copy();
    huge.items.userProfilePhoto!.format = { type: 'image', mediaTypes: ['image/png'], maxBytes: 6_000_000 };
    expect(() => parseCatalogue(huge)).toThrowError(/maxBytes/);
    const gif = copy();
    gif.items.userProfilePhoto!.format = { type: 'image', mediaTypes: ['image/gif'], maxBytes: 1000 };
    expect(() => parseCatalogue(gif)).toThrowError(/items\.userProfilePhoto\.format/);
  });
});

describe('upload rules', () => {
  const [id, item] = photoItemOf(littleone, 'member');

  it('L2: takes a JPEG, PNG or WebP image of at most 5 MiB, naming each field at fault otherwise', () => {
    expect(id).toBe('userProfilePhoto');
    expect(() => checkUpload(item.format, 'image/webp', 5 * 1024 * 1024)).not.toThrow();
    expect(() => checkUpload(item.format, 'image/gif', 5 * 1024 * 1024 + 1)).toThrowError(
      expect.objectContaining({
        errors: [
          { field: 'mediaType', problem: 'must be one of image/jpeg, image/png, image/webp' },
          { field: 'bytes', problem: 'must be at most 5242880' },
        ],
      }),
    );
    expect(withinLimits(item.format, { mediaType: 'image/png', bytes: 10 })).toBe(true);
    expect(withinLimits(item.format, { mediaType: 'text/html', bytes: 10 })).toBe(false);
    expect(withinLimits(item.format, { mediaType: 'image/png', bytes: 5 * 1024 * 1024 + 1 })).toBe(false);
  });

  it("keys a photo under its owner's prefix only: the member's, or the baby's within it", () => {
    expect(photoKey({ memberId: 'm1' }, id)).toBe('photos/m1/member/userProfilePhoto');
    expect(photoKey({ memberId: 'm1', babyId: 'b1' }, 'babyProfilePhoto')).toBe(
      'photos/m1/babies/b1/babyProfilePhoto',
    );
    expect(photoKey({ memberId: 'm1', babyId: 'b1' }, 'x').startsWith(babyPhotoPrefix('m1', 'b1'))).toBe(
      true,
    );
    expect(babyPhotoPrefix('m1', 'b1').startsWith(memberPhotoPrefix('m1'))).toBe(true);
    // The trailing slash keeps one member's prefix from covering another's (m1 and m10).
    expect(memberPhotoPrefix('m10').startsWith(memberPhotoPrefix('m1'))).toBe(false);
    expect(() => photoItemOf(loadCatalogue('lgcns'), 'member')).toThrowError(/no photo/);
  });
});
