/**
 * How `npm run outbox` reads moto's mail data: the send time the local emulator stamps, and what
 * it falls back to with an emulator that keeps none.
 */
import { describe, expect, it } from 'vitest';
import { countsByClass } from '../../local/job';
import { emailsOf } from '../../local/outbox';

const raw = (date: string) =>
  ['From: a@example.com', 'To: b@example.com', 'Subject: Hi', `Date: ${date}`, '', 'Body'].join('\r\n');

describe('the outbox', () => {
  it('takes the time the emulator accepted each email, before any Date header, and sorts by it', () => {
    const emails = emailsOf({
      ses: {
        Message: [
          {
            id: 'later',
            sent_at: '2026-11-30T10:00:02.000+00:00',
            source: 'a@example.com',
            subject: 's',
            body: 'b',
            destinations: { ToAddresses: ['x@example.com'] },
          },
        ],
        RawMessage: [
          {
            id: 'earlier',
            sent_at: '2026-11-30T10:00:01.000+00:00',
            source: 'a@example.com',
            destinations: ['b@example.com'],
            raw_data: raw('Sun, 01 Mar 2026 09:00:00 +0900'),
          },
        ],
      },
    });

    expect(emails.map((e) => [e.id, e.time])).toEqual([
      ['earlier', '2026-11-30T10:00:01.000Z'],
      ['later', '2026-11-30T10:00:02.000Z'],
    ]);
  });

  it("without the emulator's stamp: a raw email's Date header, else no time", () => {
    const emails = emailsOf({
      ses: {
        Message: [
          {
            id: 'simple',
            source: 'a@example.com',
            subject: 's',
            body: 'b',
            destinations: { ToAddresses: ['x@example.com'] },
          },
        ],
        RawMessage: [
          {
            id: 'raw',
            source: 'a@example.com',
            destinations: ['b@example.com'],
            raw_data: raw('Sun, 01 Mar 2026 09:00:00 +0900'),
          },
        ],
      },
    });

    expect(emails.find((e) => e.id === 'raw')?.time).toBe('2026-03-01T00:00:00.000Z');
    expect(emails.find((e) => e.id === 'simple')).not.toHaveProperty('time');
  });
});

describe('npm run job: counts by class', () => {
  it('prints per-class counts as one line per count, classes sorted', () => {
    expect(
      countsByClass({ deleted: 3, 'deleted:withdrawn-email': 1, 'deleted:contract-records': 2 }),
    ).toEqual(['deleted by class: contract-records 2, withdrawn-email 1']);
  });

  it('says none when the retention job deleted nothing, and nothing for jobs without classes', () => {
    expect(countsByClass({ candidates: 0, deleted: 0, notYetDue: 0 })).toEqual(['deleted by class: none']);
    expect(countsByClass({ days: 31, candidates: 0, queued: 0 })).toEqual([]);
  });
});
