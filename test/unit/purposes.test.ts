import { describe, expect, it } from 'vitest';
import { consentMissingFor, requiredPurposes, unjustifiedItems } from '../../lambdas/features/consents/rules';
import { loadCatalogue } from '../../policy/catalogue';

const littleone = loadCatalogue('littleone');
const lgcns = loadCatalogue('lgcns');

describe('purposes', () => {
  it('L1: lists the purposes a member must grant to join', () => {
    expect(requiredPurposes(littleone)).toEqual(['membership', 'service-delivery', 'abuse-prevention']);
    expect(requiredPurposes(lgcns)).toEqual(['membership', 'inquiries', 'service-history']);
  });

  it('L1: holds an optional item only with consent to its optional purpose', () => {
    expect(consentMissingFor(littleone, 'userProfilePhoto', new Set())).toBe('profile-photos');
    expect(consentMissingFor(littleone, 'userProfilePhoto', new Set(['profile-photos']))).toBeUndefined();
  });

  it('G2: an item with a required purpose needs no optional consent', () => {
    expect(consentMissingFor(lgcns, 'mobilePhone', new Set())).toBeUndefined();
  });

  it('L1: withdrawing photo consent leaves the photos without a purpose', () => {
    expect(unjustifiedItems(littleone, new Set(requiredPurposes(littleone)))).toEqual([
      'userProfilePhoto',
      'babyProfilePhoto',
    ]);
  });
});
