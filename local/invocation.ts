/**
 * Which function the local stack is running. Lambda runs each function in its own sandbox with
 * its own role; locally every handler shares one process, so whatever must tell the functions
 * apart (the IAM check that attributes each AWS call to the function that made it) reads the
 * invocation from here: it follows the handler's promises and timers, and nothing else.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** A running invocation: the handler file (lambdas/handlers/<handler>.ts) and its environment. */
export interface Invocation {
  readonly handler: string;
  /** The environment the local stack gave the function (table names, key ids, queue URLs…). */
  readonly env: Readonly<Record<string, string>>;
}

const current = new AsyncLocalStorage<Invocation>();

/** Runs `work` as an invocation of `handler`: every call it starts is attributed to that function. */
export function asFunction<T>(invocation: Invocation, work: () => T): T {
  return current.run(invocation, work);
}

/** The invocation the caller runs in, or undefined outside every function (set-up, the harness). */
export function currentInvocation(): Invocation | undefined {
  return current.getStore();
}
