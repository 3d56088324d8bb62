/**
 * A synthetic export of the operator's members for the import tests and the benchmark: good
 * lines of both sign-in methods, with babies and records, and a share of bad lines of every
 * kind, each with the line number and field the report must name. Every personal value is
 * unique, so a scan can tell whether any of it reached a table in plaintext.
 */
import type { ProfileName } from '../../policy/catalogue';

/** A bad line as the report must name it. */
export interface ExpectedBad {
  readonly line: number;
  readonly field: string;
}

/** A good line: the subject and what its member must hold. */
export interface ExpectedMember {
  readonly line: number;
  readonly subject: string;
  readonly babies: number;
  readonly records: number;
}

/** An export: its text, what each line must become, and every personal value in it. */
export interface Export {
  readonly text: string;
  readonly good: readonly ExpectedMember[];
  readonly bad: readonly ExpectedBad[];
  /** Every personal value of the file: none may appear in any table. */
  readonly secrets: readonly string[];
}

/** A subject as Cognito makes one: a UUID, here derived from the line. */
export function subjectOf(seed: number, n: number): string {
  const hex = (seed * 1_000_003 + n).toString(16).padStart(12, '0').slice(-12);
  return `1a2b3c4d-0000-4000-8000-${hex}`;
}

const at = (day: number) => new Date(Date.UTC(2024, 0, 1) + day * 86_400_000).toISOString();

/** A good member of `profile` on line `n`, with what it holds. */
function goodLine(profile: ProfileName, seed: number, n: number) {
  const subject = subjectOf(seed, n);
  const tag = `${seed}x${n}`;
  const consent = (granted: boolean, day: number, channel = 'app') => ({
    granted,
    at: at(day),
    channel,
    policyVersion: '1.0',
  });
  const base = {
    subject,
    joinedAt: at(n % 300),
    lastSignInAt: at(300 + (n % 300)),
    policyVersion: '1.0',
    ageAffirmedAt: at(n % 300),
  };
  if (profile === 'lgcns') {
    const items = {
      loginId: `login${tag}`,
      name: `Kim ${tag}`,
      email: `Member.${tag}@example.com`,
      ...(n % 2 === 0
        ? { mobilePhone: `+82 10 ${String(1000 + (n % 9000))} ${String(n).padStart(4, '0')}` }
        : {}),
    };
    const line = {
      ...base,
      signInMethod: 'password',
      items,
      consents: {
        membership: consent(true, n % 300),
        inquiries: consent(true, n % 300),
        'service-history': consent(true, n % 300),
        statistics: consent(n % 3 === 0, (n % 300) + 5, n % 5 === 0 ? 'letter' : 'app'),
      },
    };
    return { line, member: { subject, babies: 0, records: 0 }, secrets: Object.values(items) };
  }
  const apple = n % 2 === 1;
  const photos = n % 4 === 0;
  const items: Record<string, string> = {
    userName: `Mom ${tag}`,
    ...(apple
      ? { appleMemberNumber: `000${tag}.apple`, email: `apple.${tag}@example.com` }
      : { relationshipToBaby: 'mom', ...(n % 3 === 0 ? { email: `google.${tag}@example.com` } : {}) }),
  };
  const babies = Array.from({ length: n % 3 }, (_, b) => ({
    items: { babyNickname: `Baby ${tag} ${b}`, babyGender: b % 2 === 0 ? 'female' : 'undisclosed' },
    createdAt: at((n % 300) + 1),
  }));
  const records = Array.from({ length: n % 2 === 0 ? 2 : 0 }, (_, r) => ({
    kind: 'purchases',
    createdAt: at((n % 300) + 10 + r),
    content: { product: `Diapers ${tag} ${r}`, amount: 12_000 + r, currency: 'KRW' },
  }));
  const line = {
    ...base,
    signInMethod: apple ? 'apple' : 'google',
    items,
    consents: {
      membership: consent(true, n % 300),
      'service-delivery': consent(true, n % 300),
      'abuse-prevention': consent(true, n % 300),
      statistics: consent(n % 2 === 0, (n % 300) + 3, n % 5 === 0 ? 'phone' : 'app'),
      'profile-photos': consent(photos, n % 300),
    },
    babies,
    records,
  };
  return {
    line,
    member: { subject, babies: babies.length, records: records.length },
    secrets: [
      ...Object.values(items).filter((v) => v !== 'mom'),
      ...babies.map((b) => b.items.babyNickname),
      ...records.map((r) => r.content.product),
    ],
  };
}

/** The ways a line can be bad, each with the field the report names. */
const badKinds: readonly ((
  profile: ProfileName,
  seed: number,
  n: number,
) => { text: string; field: string })[] = [
  () => ({ text: '{"subject": "1a2b", "items": {', field: '(line)' }),
  (p, s, n) => {
    const { line } = goodLine(p, s, n);
    return {
      text: JSON.stringify({ ...line, items: { ...line.items, email: `not-an-address ${n}` } }),
      field: 'items.email',
    };
  },
  (p, s, n) => {
    const { line } = goodLine(p, s, n);
    return {
      text: JSON.stringify({
        ...line,
        consents: { ...line.consents, membership: { ...line.consents.membership, granted: false } },
      }),
      field: 'consents.membership',
    };
  },
  (p, s, n) => {
    const { line } = goodLine(p, s, n);
    return { text: JSON.stringify({ ...line, lastSignInAt: '2999-01-01T00:00:00Z' }), field: 'lastSignInAt' };
  },
  (p, s, n) => {
    const { line } = goodLine(p, s, n);
    return { text: JSON.stringify({ ...line, items: { ...line.items, shoeSize: '270' } }), field: 'items' };
  },
  (p, s, n) => {
    const { line } = goodLine(p, s, n);
    const { subject: _, ...rest } = line;
    return { text: JSON.stringify(rest), field: 'subject' };
  },
  (p, s, n) => {
    const { line } = goodLine(p, s, n);
    if (p === 'lgcns') {
      const { loginId: _, ...items } = line.items as Record<string, string>;
      return { text: JSON.stringify({ ...line, items }), field: 'items.loginId' };
    }
    return {
      text: JSON.stringify({
        ...line,
        babies: [{ items: { babyNickname: `Baby ${s}x${n}`, babyGender: 'unknown' } }],
      }),
      field: 'babies.0.items.babyGender',
    };
  },
];

/**
 * An export of `lines` lines of `profile`, every `badEvery`-th line bad (1% at 100), each bad
 * kind in turn; the last bad line reuses an earlier member's email, which only the lookups'
 * uniqueness can refuse. `seed` keeps two exports' subjects apart.
 */
export function makeExport(profile: ProfileName, lines: number, badEvery = 100, seed = 1): Export {
  const texts: string[] = [];
  const good: ExpectedMember[] = [];
  const bad: ExpectedBad[] = [];
  const secrets: string[] = [];
  let kind = 0;
  for (let n = 1; n <= lines; n++) {
    if (n % badEvery === 0) {
      const made = badKinds[kind++ % badKinds.length]!(profile, seed, n);
      texts.push(made.text);
      bad.push({ line: n, field: made.field });
      continue;
    }
    const made = goodLine(profile, seed, n);
    texts.push(JSON.stringify(made.line));
    good.push({ line: n, ...made.member });
    secrets.push(...made.secrets);
  }
  // A member whose email another, much earlier line already holds: refused by its lookup.
  const donor = goodLine(profile, seed, profile === 'lgcns' ? 2 : 3).line;
  const twin = goodLine(profile, seed, lines + 1);
  texts.push(JSON.stringify({ ...twin.line, items: { ...twin.line.items, email: donor.items.email } }));
  bad.push({ line: lines + 1, field: 'items' });
  return { text: `${texts.join('\n')}\n`, good, bad, secrets };
}

/**
 * The personal values of `exported` found in `text`, as written or lower-cased. Each value but
 * a phone number holds its line's tag (`<seed>x<line>`), so only the text around each place a
 * tag could start is compared: a scan of 10,000 members' tables takes a second, not the hours
 * that comparing every value with the whole text would.
 */
export function plaintextIn(text: string, exported: Export): string[] {
  const byLine = new Map<string, string[]>();
  const untagged: string[] = [];
  for (const secret of exported.secrets) {
    const line = /\d+x(\d+)/.exec(secret)?.[1];
    if (line === undefined) untagged.push(secret);
    else byLine.set(line, [...(byLine.get(line) ?? []), secret]);
  }
  const found = new Set(untagged.filter((s) => text.includes(s) || text.includes(s.toLowerCase())));
  for (const at of text.matchAll(/\dx(\d+)/g)) {
    const digits = at[1]!;
    const near = text.slice(Math.max(0, at.index - 120), at.index + 2 + digits.length + 120);
    const lower = near.toLowerCase();
    // `x421` may be the tag of line 4, 42 or 421 followed by other characters.
    for (let end = 1; end <= digits.length; end++) {
      for (const secret of byLine.get(digits.slice(0, end)) ?? []) {
        if (near.includes(secret) || lower.includes(secret.toLowerCase())) found.add(secret);
      }
    }
  }
  return [...found];
}
