/** The one logger. Log ids, counts and outcomes; never personal data, events or environments. */
import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logger shared by handlers, jobs and adapters. */
export const logger = new Logger({ serviceName: 'privacy-stack' });
