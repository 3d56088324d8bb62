/**
 * Scheduled daily: destroys vault records whose legal retention period has ended, and reports
 * how many of each retention class it destroyed (`deleted:<class>`), never whose.
 */
import { sweepVault } from '../features/vault/sweeper';
import { jobHandler } from '../runtime/job';

export const handler = jobHandler('retention', async ({ now }) => {
  const { deletedByClass, ...counts } = await sweepVault(now);
  const byClass = Object.entries(deletedByClass).map(([classId, n]) => [`deleted:${classId}`, n]);
  return { ...counts, ...Object.fromEntries(byClass) };
});
