/**
 * The one logger. Log ids, counts and outcomes; never personal data, events or environments.
 *
 * One JSON line per entry, with the level field Lambda's log-level filter reads (the functions log
 * in Lambda's JSON format). It replaces the Powertools logger, whose sampling, buffering and
 * context features the product never used, at a cost of ~21 KB in every bundle; it keeps that
 * logger's field names and reads its level variable, so settings and log queries carry over.
 */

/** Levels by rank; an entry is written when its rank reaches the configured one. */
const LEVELS = { DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, SILENT: 28 } as const;

/** Fields of one entry beyond the message: ids, counts, outcomes, error names. */
export type LogAttributes = Readonly<Record<string, unknown>>;

type Level = 'INFO' | 'WARN' | 'ERROR';

/**
 * The configured rank: Lambda's application log level (AWS_LAMBDA_LOG_LEVEL) or
 * POWERTOOLS_LOG_LEVEL (tests and the bench set SILENT), whichever is stricter; INFO by default.
 */
function threshold(): number {
  const ranks = [process.env.AWS_LAMBDA_LOG_LEVEL, process.env.POWERTOOLS_LOG_LEVEL]
    .map((name) => LEVELS[name?.toUpperCase() as keyof typeof LEVELS])
    .filter((rank) => rank !== undefined);
  return ranks.length > 0 ? Math.max(...ranks) : LEVELS.INFO;
}

function write(level: Level, message: string, attributes: LogAttributes = {}): void {
  if (LEVELS[level] < threshold()) return;
  const traceId = process.env._X_AMZN_TRACE_ID?.split(';')[0]?.replace('Root=', '');
  const line = JSON.stringify({
    level,
    message,
    service: 'privacy-stack',
    timestamp: new Date().toISOString(),
    ...(traceId ? { xray_trace_id: traceId } : {}),
    ...attributes,
  });
  (level === 'ERROR' ? process.stderr : process.stdout).write(`${line}\n`);
}

/** Structured JSON logger shared by handlers, jobs and adapters. */
export const logger = {
  /** Something worth a look: a degraded path was taken. */
  warn: (message: string, attributes?: LogAttributes) => write('WARN', message, attributes),
  /** An outcome or count. */
  info: (message: string, attributes?: LogAttributes) => write('INFO', message, attributes),
  /** A failure the caller saw as a 5xx. */
  error: (message: string, attributes?: LogAttributes) => write('ERROR', message, attributes),
};
