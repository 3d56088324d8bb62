/**
 * One Lambda execution environment, as a plain Node process: the parent starts it with exactly
 * the function's environment (no TypeScript loader, no test runner), and sends it invocations
 * over the IPC channel. The first invocation imports the bundle (`<LAMBDA_TASK_ROOT>/index.mjs`,
 * handler `index.handler` as the template names it); later ones reuse it, as a warm function
 * does. Each answer is `{ id, ok: true, result }` or `{ id, ok: false, error }`.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

let loading;

/** The handler export `_HANDLER` (`file.export`) names, loaded once. */
function handler() {
  loading ??= (async () => {
    const [file, name] = (process.env._HANDLER ?? 'index.handler').split('.');
    const module = await import(pathToFileURL(join(process.env.LAMBDA_TASK_ROOT ?? '.', `${file}.mjs`)).href);
    if (typeof module[name] !== 'function') throw new Error(`the bundle exports no function ${name}`);
    return module[name];
  })();
  return loading;
}

/** A context shaped like the Lambda runtime's for one invocation. */
function contextOf(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'function';
  const unsupported = () => {
    throw new Error('callback-style completion is not supported');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: process.env.ARTEFACT_FUNCTION_ARN ?? functionName,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '128',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `artefact/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

const errorOf = (error) => ({
  name: error?.name ?? typeof error,
  message: String(error?.message ?? error),
  stack: String(error?.stack ?? ''),
});

process.on('message', async (message) => {
  if (message?.type !== 'invoke') return;
  try {
    const run = await handler();
    const result = await run(message.event, contextOf(message.timeoutMs));
    process.send({ id: message.id, ok: true, result: result ?? null });
  } catch (error) {
    process.send({ id: message.id, ok: false, error: errorOf(error) });
  }
});

// Lambda ends the environment on an error no invocation caught; so does this host.
for (const event of ['uncaughtException', 'unhandledRejection']) {
  process.on(event, (error) => {
    process.send?.({ id: -1, ok: false, error: errorOf(error) }, () => process.exit(1));
  });
}
process.send({ id: 0, ok: true, result: 'ready' });
