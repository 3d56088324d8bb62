/**
 * Fault injection for crash-restart tests: middleware on the product's own SDK clients, and a
 * wrapper of `fetch` for the requests the adapters sign themselves (SES SendEmail, the SQS and
 * Cognito actions), that fails a call before it is sent, at random with a seeded generator (so a
 * failing run can be repeated). A failed call is exactly what a crash at that step leaves behind:
 * everything before it happened, nothing after it did.
 */
import { documentClient } from '../../lambdas/adapters/dynamodb';
import { kms } from '../../lambdas/adapters/kms';
import { SEND_EMAIL_PATH } from '../../lambdas/adapters/mailer';
import { seededRandom } from './seeded-random';

/** The error an injected fault throws; no SDK retries it. */
export class InjectedFault extends Error {
  override name = 'InjectedFault';
}

/** A running injection: counts by command, and how to stop it. */
export interface FaultInjection {
  /** Faults injected so far, by SDK command name. */
  readonly byCommand: Readonly<Record<string, number>>;
  /** Calls seen so far. */
  calls(): number;
  /** Changes the probability from the next call on (0 pauses injection). */
  setProbability(probability: number): void;
  /** Removes the middleware from every client, and the wrapper from `fetch`. */
  stop(): void;
}

/** The part of an SDK middleware stack used here, whatever the client's input and output types. */
interface AnyStack {
  add(
    middleware: (
      next: (args: unknown) => Promise<unknown>,
      context: { commandName?: string },
    ) => (args: unknown) => Promise<unknown>,
    options: { step: 'initialize'; name: string },
  ): void;
  remove(name: string): boolean;
}

/** Fails each DynamoDB, KMS, SES, SQS and Cognito call of the product with `probability`, and the first call of each `firstOf` command. */
export function injectFaults(options: {
  probability: number;
  seed: number;
  /** Commands whose first call while injecting fails for certain, so each kind of step fails at least once. */
  firstOf?: readonly string[];
}): FaultInjection {
  const pendingFirst = new Set(options.firstOf ?? []);
  const random = seededRandom(options.seed);
  const byCommand: Record<string, number> = {};
  let calls = 0;
  let probability = options.probability;
  const name = `inject-faults-${options.seed}`;
  const stacks = [documentClient, kms()].map((client) => client.middlewareStack as unknown as AnyStack);
  const fails = (command: string): boolean => {
    if (probability === 0) return false;
    calls++;
    if (pendingFirst.delete(command) || random() < probability) {
      byCommand[command] = (byCommand[command] ?? 0) + 1;
      return true;
    }
    return false;
  };
  for (const stack of stacks) {
    stack.add(
      (next, context) => async (args) => {
        const command = String(context.commandName ?? 'unknown');
        if (fails(command)) throw new InjectedFault(`injected fault in ${command}`);
        return next(args);
      },
      { step: 'initialize', name },
    );
  }
  // The signed requests, counted under the SDK's command names. The service refusing one (a 400
  // no retry mends) fails the call at once, as the middleware fails an SDK call, with nothing done.
  const unwrapped = globalThis.fetch;
  // The adapters sign each request with its method and headers in `init` (signed-fetch.ts).
  const commandOf = (url: string, init?: RequestInit): string | undefined => {
    if (init?.method !== 'POST') return undefined;
    const target = new Headers(init.headers).get('x-amz-target');
    if (target) return `${target.split('.').pop()}Command`;
    return new URL(url).pathname === SEND_EMAIL_PATH ? 'SendEmailCommand' : undefined;
  };
  const wrapped: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const command = commandOf(url, init);
    if (command && fails(command)) {
      return new Response(JSON.stringify({ message: `injected fault in ${command}` }), {
        status: 400,
        headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': InjectedFault.name },
      });
    }
    return unwrapped(input, init);
  };
  globalThis.fetch = wrapped;
  return {
    byCommand,
    calls: () => calls,
    setProbability: (p) => {
      probability = p;
    },
    stop: () => {
      for (const stack of stacks) stack.remove(name);
      if (globalThis.fetch === wrapped) globalThis.fetch = unwrapped;
    },
  };
}
