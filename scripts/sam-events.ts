/**
 * `npm run sam:events -- --profile P [--out DIR]`: writes one event file per function of the
 * profile (sam/events/P/<handler>.json) and index.json, which names each file's function logical
 * id and trigger, in the order that works when the events are invoked in turn.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CliError, requireProfile, runCli } from '../local/state';
import { loadCatalogue } from '../policy/catalogue';

runCli(async () => {
  const { values } = parseArgs({ options: { profile: { type: 'string' }, out: { type: 'string' } } });
  if (!values.profile) throw new CliError('--profile is required: npm run sam:events -- --profile littleone');
  const profile = requireProfile(values.profile);
  const dir = resolve(values.out ?? join('sam', 'events', profile));
  const { synthesizeForSam } = await import('./sam/template');
  const { eventIndex } = await import('./sam/event-index');
  const index = eventIndex(synthesizeForSam(profile), loadCatalogue(profile));
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const entry of index)
    await writeFile(join(dir, entry.file), `${JSON.stringify(entry.event, null, 2)}\n`);
  await writeFile(
    join(dir, 'index.json'),
    `${JSON.stringify(
      index.map(({ event: _event, ...rest }) => rest),
      null,
      2,
    )}\n`,
  );
  process.stdout.write(`Wrote ${index.length} events and index.json to ${dir}.\n`);
});
