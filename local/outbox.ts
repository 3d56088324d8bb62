/**
 * `npm run outbox [-- --json]`: the emails the local stack has sent, with their bodies, read back
 * from moto, oldest first. moto 5.2.1 keeps them as model instances exposed at GET
 * /moto-api/data.json, under `ses` (the SESv2 API shares SES v1's backend): `Message` for simple
 * content, `RawMessage` for MIME. moto records no send time; the emulator the local stack starts
 * stamps each one when it accepts it (`sent_at`, see local/emulator.ts). For an emulator of the
 * user's own, a raw message's Date header is the best there is, and otherwise there is no time.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CliError, readState, runCli } from './state';

/** One sent email, as far as the emulator recorded it. */
export interface SentEmail {
  readonly id: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  /** When the emulator accepted it (ISO, UTC); else a raw message's Date header; else absent. */
  readonly time?: string;
  readonly body: string;
}

/** A simple-content email as moto keeps it; `sent_at` from the local emulator only. */
export interface MotoMessage {
  id: string;
  sent_at?: string;
  source: string;
  subject: string;
  body: string;
  destinations: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
}

/** A MIME email as moto keeps it; `sent_at` from the local emulator only. */
export interface MotoRawMessage {
  id: string;
  sent_at?: string;
  source: string;
  destinations: string[];
  raw_data: string;
}

/** Decodes RFC 2047 encoded words ("=?UTF-8?B?...?=") in a header value. */
function decodeHeader(value: string): string {
  return value.replace(
    /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g,
    (_, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) =>
                String.fromCharCode(Number.parseInt(hex, 16)),
              ),
            'latin1',
          ).toString('utf8'),
  );
}

function parseRaw(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), decodeHeader(line.slice(colon + 1).trim()));
  }
  return { headers, body };
}

/** An ISO instant from a date in any form `Date` reads; undefined when there is none. */
function isoTime(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

/** What /moto-api/data.json holds of sent mail. */
export interface MotoMailData {
  readonly ses?: { Message?: MotoMessage[]; RawMessage?: MotoRawMessage[] };
}

/** Every email the emulator at `endpoint` has accepted, oldest first when their times are known. */
export async function readOutbox(endpoint: string): Promise<SentEmail[]> {
  const response = await fetch(new URL('/moto-api/data.json', endpoint));
  if (!response.ok) {
    throw new CliError(
      `The emulator at ${endpoint} has no moto data endpoint (HTTP ${response.status}): the outbox needs moto.`,
    );
  }
  return emailsOf((await response.json()) as MotoMailData);
}

/** The emails in moto's data, oldest first when their times are known. */
export function emailsOf(data: MotoMailData): SentEmail[] {
  const simple = (data.ses?.Message ?? []).map((m) => ({
    id: m.id,
    from: m.source,
    to: [...(m.destinations.ToAddresses ?? []), ...(m.destinations.CcAddresses ?? [])],
    subject: m.subject,
    body: m.body,
    ...withTime(isoTime(m.sent_at)),
  }));
  const raw = (data.ses?.RawMessage ?? []).map((m) => {
    const { headers, body } = parseRaw(m.raw_data);
    const time = isoTime(m.sent_at) ?? isoTime(headers.get('date'));
    return {
      id: m.id,
      from: m.source,
      // moto lists a recipient twice when it appears in both Destination and the To header.
      to: [...new Set(m.destinations)],
      subject: headers.get('subject') ?? '',
      body,
      ...withTime(time),
    };
  });
  // A stable sort: mail without a time keeps its place among its kind.
  return [...simple, ...raw].sort((a, b) => (a.time && b.time ? a.time.localeCompare(b.time) : 0));
}

function withTime(time: string | undefined): { time?: string } {
  return time ? { time } : {};
}

const isMain = import.meta.url === pathToFileURL(process.argv[1] ?? '').href;
if (isMain) {
  runCli(async () => {
    const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } } });
    const state = await readState();
    const emails = await readOutbox(state.endpoint);
    if (values.json) {
      // One JSON array on stdout, for jq; `time` is null where the emulator kept none.
      const rows = emails.map((e) => ({ ...e, time: e.time ?? null }));
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return;
    }
    if (emails.length === 0) {
      process.stdout.write(`No email sent yet (emulator ${state.endpoint}).\n`);
      return;
    }
    // The emulator's mail is local test data: show each body, so codes and notices can be read.
    for (const email of emails) {
      process.stdout.write(
        `${email.time ?? '(this emulator keeps no send time)'}  to ${email.to.join(', ')}  ${email.subject}\n`,
      );
      process.stdout.write(`${email.body.replace(/^/gm, '    ')}\n\n`);
    }
    process.stdout.write(`${emails.length} email(s) from ${state.endpoint}\n`);
  });
}
