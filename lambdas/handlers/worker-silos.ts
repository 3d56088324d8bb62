/** SQS worker of the silo queue: one silo of one request per message (issue 15). */
import * as z from 'zod/mini';
import { ENV } from '../../model/resources';
import { loadCatalogue } from '../../policy/catalogue';
import { runSiloStep } from '../features/silos/silos';
import { requireEnv } from '../runtime/env';
import { queueWorker } from '../runtime/queue-worker';

const catalogue = loadCatalogue(requireEnv(ENV.profile));

const id = z.string().check(z.minLength(1), z.maxLength(256));
const messageSchema = z.strictObject({ requestId: id, memberId: id, silo: id });

export const handler = queueWorker('silos', messageSchema, (message) =>
  runSiloStep(catalogue, message, new Date()),
);
