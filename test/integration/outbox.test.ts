/**
 * `npm run outbox` reads sent mail from moto's internal data endpoint, whose shape no API
 * promises: this pins what moto 5.2.1 returns for both kinds of SESv2 content, and the send time
 * the emulator the local stack starts stamps on each (local/emulator.ts).
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap, clientConfig } from '../../local/bootstrap';
import { type Emulator, startMoto } from '../../local/emulator';
import { readOutbox } from '../../local/outbox';
import { ENV } from '../../model/resources';

describe('the outbox', () => {
  let emulator: Emulator;
  let sender: string;
  let ses: SESv2Client;

  beforeAll(async () => {
    emulator = await startMoto();
    const { env } = await bootstrap({ profile: 'littleone', endpoint: emulator.endpoint });
    sender = env[ENV.senderAddress]!;
    ses = new SESv2Client(clientConfig(emulator.endpoint));
  });
  afterAll(async () => {
    ses?.destroy();
    await emulator?.stop();
  });

  it('is empty before anything is sent', async () => {
    expect(await readOutbox(emulator.endpoint)).toEqual([]);
  });

  it('lists a simple email with its recipients, subject and the time the emulator accepted it', async () => {
    const before = Date.now();
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: sender,
        Destination: { ToAddresses: ['member@example.org'] },
        Content: {
          Simple: { Subject: { Data: '탈퇴 안내 / Withdrawal' }, Body: { Text: { Data: 'Body' } } },
        },
      }),
    );

    const after = Date.now();

    const sent = (await readOutbox(emulator.endpoint)).find((e) => e.to.includes('member@example.org'));
    expect(sent).toMatchObject({
      from: sender,
      to: ['member@example.org'],
      subject: '탈퇴 안내 / Withdrawal',
    });
    expect(Date.parse(sent?.time ?? '')).toBeGreaterThanOrEqual(before - 1_000);
    expect(Date.parse(sent?.time ?? '')).toBeLessThanOrEqual(after + 1_000);
  });

  it('lists a raw email once per recipient, with the time it was sent, not the Date header it claims', async () => {
    const raw = [
      `From: ${sender}`,
      'To: raw@example.org',
      'Subject: =?UTF-8?B?7JWI64WV?=',
      'Date: Sun, 01 Mar 2026 09:00:00 +0900',
      '',
      'Hello',
    ].join('\r\n');
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: sender,
        Destination: { ToAddresses: ['raw@example.org'] },
        Content: { Raw: { Data: Buffer.from(raw) } },
      }),
    );

    const sent = (await readOutbox(emulator.endpoint)).find((e) => e.to.includes('raw@example.org'));
    expect(sent).toMatchObject({ to: ['raw@example.org'], subject: '안녕' });
    expect(sent?.time).not.toBe('2026-03-01T00:00:00.000Z');
    expect(Date.now() - Date.parse(sent?.time ?? '')).toBeLessThan(60_000);
  });

  it('lists mail oldest first', async () => {
    const times = (await readOutbox(emulator.endpoint)).map((e) => e.time ?? '');

    expect(times).toEqual([...times].sort());
  });

  it('refuses to send from an unverified address, as SES does', async () => {
    await expect(
      ses.send(
        new SendEmailCommand({
          FromEmailAddress: 'someone@else.example',
          Destination: { ToAddresses: ['member@example.org'] },
          Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } } },
        }),
      ),
    ).rejects.toThrow(/not verified/);
  });
});
