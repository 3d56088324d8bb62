/**
 * Set-up of every integration file: records the AWS calls of the handlers it runs, for the IAM
 * check (test/iam/). One file per test file, emptied when the file starts, so a rerun of one file
 * replaces its own recordings and keeps the others'.
 */
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expect } from 'vitest';
import { recordInProcessCalls } from '../support/iam/in-process-recorder';
import { ensureCallsDir, integrationRecordingOf } from '../support/iam/recordings';

const testFile = basename(expect.getState().testPath ?? '');
if (!testFile) throw new Error('the call recorder needs the test file it runs for');
const file = join(ensureCallsDir(), integrationRecordingOf(testFile));
writeFileSync(file, '');
recordInProcessCalls(file, `integration:${testFile}`);
