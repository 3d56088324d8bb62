/**
 * Sending email through SES v2 in Seoul, as a signed request (signed-fetch.ts) rather than through
 * the SESv2 client: the client, its REST-JSON protocol and the multi-region signer it brings added
 * 26-29 KB to every function that mails. The request is the one the client's SendEmailCommand
 * sends. Every failure fails the caller closed through {@link awsCall}, its cause named by SES's
 * error (e.g. `MessageRejected`) and never carrying the address or the message.
 */
import pThrottle from 'p-throttle';
import { ENV } from '../../model/resources';
import { SEOUL_REGION } from '../../policy/schema';
import { requireEnv } from '../runtime/env';
import { awsCall } from './aws-call';
import { type SignedService, signedPost } from './signed-fetch';
import { isSuppressed } from './suppression';

const SES: SignedService = { signingName: 'ses', endpoint: `https://email.${SEOUL_REGION}.amazonaws.com` };
/** The REST path of SESv2 SendEmail. */
export const SEND_EMAIL_PATH = '/v2/email/outbound-emails';

/** One plain-text email. Callers keep personal data out of subjects; bodies go to the member only. */
export interface Email {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Sends an email; returns the SES message id. */
export function sendEmail(email: Email): Promise<string> {
  return awsCall('ses', async () => {
    const body = JSON.stringify({
      FromEmailAddress: requireEnv(ENV.senderAddress),
      ConfigurationSetName: requireEnv(ENV.configurationSet),
      Destination: { ToAddresses: [email.to] },
      Content: {
        Simple: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: email.text, Charset: 'UTF-8' } },
        },
      },
    });
    const out = (await signedPost(SES, {
      path: SEND_EMAIL_PATH,
      headers: { 'content-type': 'application/json' },
      body,
    })) as { MessageId?: unknown };
    return typeof out.MessageId === 'string' ? out.MessageId : '';
  });
}

/** Where a notice goes: the address and the catalogue item it is (for the suppression list). */
export interface NoticeRecipient {
  readonly profile: string;
  readonly itemId: string;
  /** The address's blind index, when the caller holds it (a member's lookup item): no KMS call then. */
  readonly mac?: string;
}

/** What became of a notice: sent, or recorded as undeliverable because SES reported the address. */
export type NoticeOutcome = { readonly sent: true; readonly messageId: string } | { readonly sent: false };

/**
 * Sends per function instance at most SES_SEND_RATE per second (a sliding window), so all worker
 * instances together stay under the account's SES quota; without the variable, sends are unpaced.
 */
let paced: ((email: Email) => Promise<string>) | undefined;
function pacedSend(email: Email): Promise<string> {
  if (!paced) {
    const rate = Number(process.env[ENV.sendRate]);
    paced =
      Number.isFinite(rate) && rate > 0
        ? pThrottle({ limit: Math.floor(rate), interval: 1_000, strict: true })(sendEmail)
        : sendEmail;
  }
  return paced(email);
}

/**
 * Sends a notice unless the address bounced or complained before: then nothing is sent and the
 * caller records the notice as undeliverable.
 */
export async function sendNotice(email: Email, recipient: NoticeRecipient): Promise<NoticeOutcome> {
  if (await isSuppressed(recipient.profile, recipient.itemId, email.to, recipient.mac))
    return { sent: false };
  return { sent: true, messageId: await pacedSend(email) };
}
