/** Sending email through SES v2, pinned to Seoul. Failures fail the caller closed. */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SEOUL_REGION } from '../../policy/schema';
import { requireEnv } from '../shared/env';
import { ENV } from '../shared/resources';
import { awsCall } from './aws-call';

// Built on first send, so a function that never mails leaves the SES client out of its bundle.
let ses: SESv2Client | undefined;

/** One plain-text email. Callers keep personal data out of subjects; bodies go to the member only. */
export interface Email {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Sends an email; returns the SES message id. */
export async function sendEmail(email: Email): Promise<string> {
  ses ??= new SESv2Client({ region: SEOUL_REGION });
  const client = ses;
  const out = await awsCall('ses', () =>
    client.send(
      new SendEmailCommand({
        FromEmailAddress: requireEnv(ENV.senderAddress),
        ConfigurationSetName: requireEnv(ENV.configurationSet),
        Destination: { ToAddresses: [email.to] },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: email.text, Charset: 'UTF-8' } },
          },
        },
      }),
    ),
  );
  return out.MessageId ?? '';
}
