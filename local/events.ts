/**
 * `npm run events [-- --json]`: the lifecycle events that reached the bus of the running local
 * stack, taken from the app's inbox a rule on the bus feeds (each is shown once), oldest first.
 * `npm start` publishes the outbox every second, as the stream's event source would. An event
 * holds ids and purposes only, so this prints everything it holds.
 */
import { parseArgs } from 'node:util';
import { ENV } from '../model/resources';
import { takeLifecycleEvents } from './lifecycle-events';
import { CliError, readState, runCli } from './state';

runCli(async () => {
  const { values } = parseArgs({ options: { json: { type: 'boolean' } } });
  const state = await readState();
  const endpoint = state.env[ENV.endpoint];
  if (!endpoint) throw new CliError('The local stack has no emulator endpoint: restart it with npm start.');
  const events = await takeLifecycleEvents(endpoint, state.profile);
  if (values.json) {
    for (const e of events) process.stdout.write(`${JSON.stringify(e)}\n`);
    return;
  }
  if (events.length === 0) process.stdout.write(`no new lifecycle events (${state.profile})\n`);
  for (const { detailType, detail } of events) {
    const { eventId, memberId, occurredAt, profile: _profile, ...fields } = detail;
    const rest = Object.entries(fields)
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
      .join(' ');
    process.stdout.write(`${occurredAt} ${detailType} ${memberId} ${eventId}${rest ? ` ${rest}` : ''}\n`);
  }
});
