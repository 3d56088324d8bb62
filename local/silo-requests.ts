/**
 * `npm run silos [-- --json]`: runs the silo queue of the running local stack through its worker,
 * as Lambda's event source would (moto cannot invoke functions), then prints what the custom
 * systems were asked (read from the inbox a rule on the bus feeds), so a developer can answer
 * with the callback route: `curl -X POST <front><answerPath> -d '{"token":…,"outcome":"erased"}'`.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { ENV } from '../model/resources';
import { clientConfig } from './bootstrap';
import { drainQueue } from './queue-worker';
import { customSiloInbox } from './silos';
import { CliError, readState, runCli } from './state';

/** What a custom system is asked: ids, where to answer, and the token to answer with. */
export interface SiloRequest {
  readonly requestId: string;
  readonly silo: string;
  readonly memberId: string;
  readonly answerBy: string;
  readonly answerPath: string;
  readonly token: string;
}

/** Takes every request waiting in the custom systems' inbox of `profile` (they leave it). */
export async function takeSiloRequests(endpoint: string, profile: string): Promise<SiloRequest[]> {
  const sqs = new SQSClient(clientConfig(endpoint));
  try {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: customSiloInbox(profile) }));
    const taken: SiloRequest[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      if (Messages.length === 0) return taken;
      for (const m of Messages) {
        taken.push((JSON.parse(m.Body ?? '{}') as { detail: SiloRequest }).detail);
        await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle! }));
      }
    }
  } finally {
    sqs.destroy();
  }
}

const isMain = import.meta.url === pathToFileURL(process.argv[1] ?? '').href;
if (isMain) {
  runCli(async () => {
    const { values } = parseArgs({ options: { json: { type: 'boolean' } } });
    const state = await readState();
    const endpoint = state.env[ENV.endpoint];
    if (!endpoint) throw new CliError('The local stack has no emulator endpoint: restart it with npm start.');
    const drained = await drainQueue('silos', state.env, state.profile);
    const asked = await takeSiloRequests(endpoint, state.profile);
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ drained, asked })}\n`);
      return;
    }
    process.stdout.write(
      `silo steps (${state.profile}): ${drained.succeeded} done, ${drained.failed} failed, ${drained.deadLettered} in the dead-letter queue\n`,
    );
    for (const r of asked) {
      process.stdout.write(
        `asked ${r.silo} for ${r.requestId}: POST ${r.answerPath} with token ${r.token}\n`,
      );
    }
  });
}
