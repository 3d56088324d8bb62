/** SNS subscriber of the SES feedback topic: suppresses addresses that bounced or complained. */
import type { SNSEvent } from 'aws-lambda';
import { ENV } from '../../model/resources';
import { loadCatalogue } from '../../policy/catalogue';
import { recordFeedback } from '../features/ses-feedback/feedback';
import { requireEnv } from '../runtime/env';
import { logger } from '../runtime/logger';

const catalogue = loadCatalogue(requireEnv(ENV.profile));

export const handler = async (event: SNSEvent): Promise<void> => {
  const counts = await recordFeedback(
    catalogue,
    event.Records.map((r) => r.Sns.Message),
    new Date(),
  );
  logger.info('ses feedback', { records: event.Records.length, ...counts });
};
