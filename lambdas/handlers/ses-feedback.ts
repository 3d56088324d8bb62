/** SNS subscriber of the SES feedback topic: suppresses addresses that bounced or complained. */
import type { SNSEvent } from 'aws-lambda';
import { loadCatalogue } from '../../policy/catalogue';
import { recordFeedback } from '../domain/ses-feedback';
import { requireEnv } from '../shared/env';
import { logger } from '../shared/logger';
import { ENV } from '../shared/resources';

const catalogue = loadCatalogue(requireEnv(ENV.profile));

export const handler = async (event: SNSEvent): Promise<void> => {
  const counts = await recordFeedback(
    catalogue,
    event.Records.map((r) => r.Sns.Message),
    new Date(),
  );
  logger.info('ses feedback', { records: event.Records.length, ...counts });
};
