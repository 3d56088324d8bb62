import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { logger } from '../../lambdas/runtime/logger';

describe('logger', () => {
  type WriteSpy = MockInstance<typeof process.stdout.write>;
  let out: WriteSpy;
  let err: WriteSpy;
  const lines = (spy: WriteSpy) =>
    spy.mock.calls.map(([chunk]) => JSON.parse(String(chunk)) as Record<string, unknown>);

  beforeEach(() => {
    out = vi.spyOn(process.stdout, 'write').mockReturnValue(true);
    err = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', '');
    vi.stubEnv(
      '_X_AMZN_TRACE_ID',
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    );
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('writes one JSON line with level, message, service, time, trace id and the attributes', () => {
    logger.info('job finished', { job: 'retention', deleted: 3 });
    expect(lines(out)).toEqual([
      {
        level: 'INFO',
        message: 'job finished',
        service: 'privacy-stack',
        timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793',
        job: 'retention',
        deleted: 3,
      },
    ]);
    expect(String(out.mock.calls[0]![0]).endsWith('}\n')).toBe(true);
  });

  it('writes errors to stderr and warnings to stdout', () => {
    logger.error('request failed', { route: 'get-me', error: 'TimeoutError' });
    logger.warn('ledger record left open', { requestId: 'r-1' });
    expect(lines(err)).toEqual([expect.objectContaining({ level: 'ERROR', route: 'get-me' })]);
    expect(lines(out)).toEqual([expect.objectContaining({ level: 'WARN', requestId: 'r-1' })]);
  });

  it("follows the stricter of Lambda's application log level and POWERTOOLS_LOG_LEVEL", () => {
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'WARN');
    logger.info('dropped');
    logger.warn('kept');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    logger.error('silenced');
    expect(lines(out).map((l) => l.message)).toEqual(['kept']);
    expect(err).not.toHaveBeenCalled();
  });
});
