import { describe, expect, it } from 'vitest';
import { CatalogueError, loadCatalogue, parseCatalogue, profiles } from '../../policy/catalogue';

const clone = <T>(v: T): T => structuredClone(v);

describe('policy catalogue', () => {
  it.each(Object.keys(profiles))('loads the shipped profile %s', (name) => {
    const catalogue = loadCatalogue(name);
    expect(catalogue.profile).toBe(name);
    expect(catalogue.region).toBe('ap-northeast-2');
  });

  it('refuses an unknown profile with one line naming it and the choices', () => {
    expect(() => loadCatalogue('acme')).toThrowError(
      /unknown profile "acme": choose one of littleone, lgcns/,
    );
  });

  it('L6: refuses a catalogue whose region is not Seoul, naming the entry', () => {
    const input = { ...clone(profiles.littleone), region: 'us-east-1' };
    expect(() => parseCatalogue(input, 'profile x')).toThrowError(/profile x: invalid entry region/);
  });

  it('names an item that points at an unknown purpose', () => {
    const input = clone(profiles.lgcns) as unknown as { items: Record<string, { purposes: string[] }> };
    input.items.email!.purposes = ['marketing'];
    expect(() => parseCatalogue(input)).toThrowError(
      /items\.email\.purposes names unknown purpose "marketing"/,
    );
  });

  it('names an unknown field in an entry', () => {
    const input = clone(profiles.lgcns) as unknown as { purposes: Record<string, Record<string, unknown>> };
    input.purposes.statistics!.colour = 'red';
    expect(() => parseCatalogue(input)).toThrowError(
      /invalid entry purposes\.statistics: unknown field\(s\) colour/,
    );
  });

  it('names a retention class with a malformed period', () => {
    const input = clone(profiles.lgcns) as unknown as { retention: Record<string, { period: unknown }> };
    input.retention['access-logs']!.period = { months: -6 };
    expect(() => parseCatalogue(input)).toThrowError(CatalogueError);
    expect(() => parseCatalogue(input)).toThrowError(/retention\.access-logs\.period/);
  });

  it('L13/G15: refuses member-provided personal data stored unencrypted', () => {
    const input = clone(profiles.littleone) as unknown as { items: Record<string, { encrypted: boolean }> };
    input.items.userName!.encrypted = false;
    expect(() => parseCatalogue(input)).toThrowError(/items\.userName .* must be encrypted/);
  });

  it('G15: lets only the identity provider hold a secret such as the password', () => {
    const input = clone(profiles.lgcns) as unknown as { items: Record<string, { store: string }> };
    input.items.password!.store = 'members';
    expect(() => parseCatalogue(input)).toThrowError(/items\.password is a secret/);
  });

  it.each([
    'view',
    'correct',
    'withdraw-consent',
    'restrict',
    'withdraw',
  ])('L14/G10, L16: refuses a suspension that would block the privacy right %s', (right) => {
    const input = clone(profiles.littleone) as unknown as { suspension: { blocks: string[] } };
    input.suspension.blocks = ['purchase', right];
    expect(() => parseCatalogue(input)).toThrowError(/invalid entry suspension\.blocks\.1: expected one of/);
  });

  it('G1, L2: takes the ID and the Apple member number from the sign-in, and refuses a correctable item from it', () => {
    expect(loadCatalogue('lgcns').items.loginId?.fromSignIn).toBe('username');
    expect(loadCatalogue('littleone').items.appleMemberNumber?.fromSignIn).toBe('provider-user-id');
    const input = clone(profiles.lgcns) as unknown as { items: Record<string, { correctable: boolean }> };
    input.items.loginId!.correctable = true;
    expect(() => parseCatalogue(input)).toThrowError(
      /items\.loginId\.fromSignIn: an identifier from the sign-in/,
    );
  });

  it('L1/G2: refuses an optional purpose that rests on anything but consent', () => {
    const input = clone(profiles.lgcns) as unknown as { purposes: Record<string, { legalBasis: string }> };
    input.purposes.statistics!.legalBasis = 'legitimate-interests';
    expect(() => parseCatalogue(input)).toThrowError(
      /purposes\.statistics: an optional purpose rests on consent/,
    );
  });

  it('L10: declares the legal retention periods of the littleone table', () => {
    const { retention } = loadCatalogue('littleone');
    expect(retention['contract-records']?.period).toEqual({ years: 5 });
    expect(retention['payment-records']?.period).toEqual({ years: 5 });
    expect(retention['complaint-records']?.period).toEqual({ years: 3 });
    expect(retention['advertising-records']?.period).toEqual({ months: 6 });
    expect(retention['tax-records']?.period).toEqual({ years: 5 });
    expect(retention['electronic-financial-records']?.period).toEqual({ years: 5 });
    expect(retention['service-visit-records']?.period).toEqual({ months: 3 });
  });

  it('L9: keeps a withdrawn member email at most one year, in the vault', () => {
    const c = loadCatalogue('littleone');
    expect(c.recordClasses.onWithdrawal).toContain('withdrawn-email');
    expect(c.retention['withdrawn-email']).toMatchObject({
      period: { years: 1 },
      store: 'vault',
      startsAt: 'withdrawal',
    });
  });

  it('L10: records littleone purchases as payment records, kept 5 years from the purchase', () => {
    const c = loadCatalogue('littleone');
    const item = c.items[c.serviceRecords!.purchases!]!;
    expect(item).toMatchObject({ subject: 'service-record', retention: 'payment-records' });
    expect(c.retention[item.retention]).toMatchObject({
      period: { years: 5 },
      startsAt: 'creation',
      store: 'vault',
    });
    expect(loadCatalogue('lgcns').serviceRecords?.purchases).toBeUndefined();
  });

  it('names a service-record kind that points at an unknown item or at an item members provide', () => {
    const unknown = { ...clone(profiles.littleone), serviceRecords: { purchases: 'orders' } };
    expect(() => parseCatalogue(unknown)).toThrowError(
      /serviceRecords\.purchases names unknown item "orders"/,
    );
    const memberItem = { ...clone(profiles.littleone), serviceRecords: { purchases: 'userName' } };
    expect(() => parseCatalogue(memberItem)).toThrowError(
      /serviceRecords\.purchases: item "userName" must be a service record/,
    );
  });

  it('G3: keeps lgcns access logs for 6 months', () => {
    const c = loadCatalogue('lgcns');
    expect(c.retention[c.recordClasses.accessLog]?.period).toEqual({ months: 6 });
  });

  it.each(
    Object.keys(profiles),
  )('G9: %s destroys after 1 year of inactivity with a 30-day notice', (name) => {
    const { inactivity } = loadCatalogue(name);
    expect(inactivity).toMatchObject({
      period: { years: 1 },
      noticeLead: { days: 30 },
      basis: 'last-sign-in',
    });
  });

  it.each(Object.keys(profiles))('L11/G13: %s admits members of 14 or older only', (name) => {
    expect(loadCatalogue(name).minimumAge).toBe(14);
  });

  it.each(Object.keys(profiles))('L18: %s announces policy changes 7 days ahead', (name) => {
    expect(loadCatalogue(name).policyChange.noticeLead).toEqual({ days: 7 });
  });

  it('L2: requires the relationship for Google and the Apple number and email for Apple members', () => {
    const { items } = loadCatalogue('littleone');
    expect(items.relationshipToBaby?.requiredFor).toEqual(['google']);
    expect(items.appleMemberNumber?.requiredFor).toEqual(['apple']);
    expect(items.email?.requiredFor).toEqual(['apple']);
    expect(items.userName?.requiredFor).toEqual(['google', 'apple']);
  });

  it('G1: requires ID, password, name and email and makes the mobile phone optional', () => {
    const { items } = loadCatalogue('lgcns');
    for (const id of ['loginId', 'password', 'name', 'email'])
      expect(items[id]?.requiredFor).toEqual(['password']);
    expect(items.mobilePhone?.requiredFor).toEqual([]);
  });

  it('traces every entry to a sentence of its seed', () => {
    for (const name of Object.keys(profiles)) {
      const c = loadCatalogue(name);
      const entries = [
        ...Object.values(c.items),
        ...Object.values(c.purposes),
        ...Object.values(c.retention),
      ];
      for (const entry of entries) expect(entry.source.length).toBeGreaterThan(3);
    }
  });
});
