/**
 * `npm start [-- --profile lgcns] [--port 3000] [--moto-port 5000]`: the API on localhost,
 * backed by an AWS emulator, until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { ENV } from '../model/resources';
import { LOCAL_AUDIENCE, loadOrCreateIssuerKey } from './issuer';
import {
  ISSUER_KEY_FILE,
  parsePort,
  removeState,
  requireProfile,
  runCli,
  STATE_FILE,
  writeState,
} from './state';

runCli(async () => {
  const { values } = parseArgs({
    options: {
      profile: { type: 'string', default: 'littleone' },
      port: { type: 'string' },
      'moto-port': { type: 'string' },
    },
  });
  const profile = requireProfile(values.profile);
  const port = parsePort(values.port ?? process.env.PORT, '--port') ?? 3000;
  const motoPort = parsePort(values['moto-port'], '--moto-port');

  // Loaded after the flags are checked: a typo gets one line, not the SDK's start-up noise.
  const { policyUrlOf, startLocalStack } = await import('./stack');
  const issuerKey = await loadOrCreateIssuerKey(ISSUER_KEY_FILE);
  const stack = await startLocalStack({
    profile,
    issuerKey,
    port,
    ...(motoPort === undefined ? {} : { motoPort }),
  });
  const { front, emulator, resources } = stack;

  await writeState({
    profile,
    url: front.url,
    port: front.port,
    endpoint: emulator.endpoint,
    emulatorOwned: emulator.owned,
    issuer: front.issuer,
    audience: LOCAL_AUDIENCE,
    issuerKeyPath: ISSUER_KEY_FILE,
    // `npm run job` runs the notices worker: its notices name this front's policy page (L18).
    env: { ...resources.env, [ENV.policyUrl]: policyUrlOf(front.url) },
    pid: process.pid,
    startedAt: new Date().toISOString(),
  });

  // The outbox stream's event source: publish new lifecycle events every second.
  const { OutboxPump } = await import('./lifecycle-events');
  const outbox = new OutboxPump(emulator.endpoint, resources.env, profile);
  const publishing = setInterval(() => {
    outbox.pump().catch((error: unknown) => {
      process.stderr.write(`lifecycle events: ${(error as Error).message}\n`);
    });
  }, 1_000);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(publishing);
    process.stdout.write(`\n${signal}: stopping the local stack\n`);
    void removeState()
      .then(() => stack.stop())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const lines = [
    `Local stack for profile ${profile}`,
    `  API        ${front.url}  (reference: ${front.url}/docs)`,
    `  pages      ${front.url}/privacy (members), ${front.url}/console (officers): sign in on the local issuer's page`,
    `  emulator   ${emulator.endpoint} (${emulator.owned ? 'moto, stops with this process' : `yours, from ${ENV.endpoint}`})`,
    `  tables     ${Object.values(resources.tables).join(', ')}`,
    `  state      ${STATE_FILE}`,
    '',
    'A token:     npm run -s token -- --sub alice   (add --group privacy-officer for officer routes)',
    `  then       curl -H "Authorization: Bearer $(npm run -s token -- --sub alice)" ${front.url}/v1/...`,
    'A job:       npm run job -- retention [--now 2026-01-01T04:00:00+09:00]',
    'Sent mail:   npm run outbox [-- --json]',
    'The vault:   npm run vault   (ids, classes, expiries; nothing decrypted)',
    'Events:      npm run events   (lifecycle events that reached the bus; ids and purposes only)',
    'Catalogue:   npm run -s catalogue -- --out catalogue.json   (the one in force: start a new version from it)',
    'Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
});
