/**
 * The stack the bench measures against: a private moto server, the counting proxy in front of
 * it, the profile's resources bootstrapped through the proxy, and the local front serving the
 * real handler modules in-process with AWS_ENDPOINT_URL pointing at the proxy. One per process.
 */

import { type BootstrapResult, bootstrap } from '../local/bootstrap';
import { type Emulator, startMoto } from '../local/emulator';
import { type Front, startFront } from '../local/front';
import { generateIssuerKey, type IssuerKey, signIdToken, type TokenOptions } from '../local/issuer';
import type { ProfileName } from '../policy/catalogue';
import { type CountingProxy, startCountingProxy } from './counting-proxy';

/** One run of a function's handler: which, and for how long (its module already loaded). */
export interface HandlerRun {
  /** The handler file's name (lambdas/handlers/<handler>.ts). */
  readonly handler: string;
  readonly durationMs: number;
}

/** A running bench stack. */
export interface BenchStack {
  readonly profile: ProfileName;
  readonly emulator: Emulator;
  readonly proxy: CountingProxy;
  readonly resources: BootstrapResult;
  readonly front: Front;
  readonly baseUrl: string;
  readonly issuerKey: IssuerKey;
  /** The route handlers the front ran since the last call (or the start), with their durations. */
  takeInvocations(): HandlerRun[];
  /** An ID token for `sub` the front accepts. */
  token(sub: string, options?: TokenOptions): Promise<string>;
  /** Creates again what bootstrap creates (e.g. after a table was dropped). */
  rebootstrap(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts moto, the proxy, the resources and the front for `profile`. */
export async function startBenchStack(profile: ProfileName): Promise<BenchStack> {
  const emulator = await startMoto();
  let proxy: CountingProxy | undefined;
  let front: Front | undefined;
  try {
    proxy = await startCountingProxy(emulator.endpoint);
    const endpoint = proxy.url;
    const resources = await bootstrap({ profile, endpoint });
    const issuerKey = await generateIssuerKey();
    let runs: HandlerRun[] = [];
    // Sign-ins are measured as an operation of their own, not hidden in the first request.
    front = await startFront({
      profile,
      env: resources.env,
      issuerKey,
      port: 0,
      recordSignIns: false,
      log: () => {},
      onInvoked: (handler, durationMs) => runs.push({ handler, durationMs }),
    });
    proxy.take();
    const started = { proxy, front };
    return {
      profile,
      emulator,
      proxy,
      resources,
      front,
      baseUrl: `http://127.0.0.1:${front.port}`,
      issuerKey,
      takeInvocations: () => {
        const taken = runs;
        runs = [];
        return taken;
      },
      token: (sub, options = {}) => signIdToken(issuerKey, started.front.issuer, sub, options),
      rebootstrap: async () => {
        await bootstrap({ profile, endpoint });
      },
      stop: async () => {
        await started.front.close();
        await started.proxy.close();
        await emulator.stop();
      },
    };
  } catch (error) {
    await front?.close();
    await proxy?.close();
    await emulator.stop();
    throw error;
  }
}
