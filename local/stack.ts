/**
 * The whole local stack in one call: an emulator (ours or the one AWS_ENDPOINT_URL names), the
 * profile's resources in it, and the front serving the API. Used by `npm start` and the
 * integration tests alike.
 */
import { ENV } from '../model/resources';
import { type BootstrapResult, bootstrap } from './bootstrap';
import { type Emulator, openEmulator, startMoto } from './emulator';
import { type Front, startFront } from './front';
import type { IssuerKey } from './issuer';

/** How to start a local stack. */
export interface LocalStackOptions {
  readonly profile: string;
  readonly issuerKey: IssuerKey;
  /** Front port; 0 picks a free one. @default 3000 */
  readonly port?: number;
  readonly motoPort?: number;
  /** Always start a private moto server, ignoring AWS_ENDPOINT_URL (tests). @default false */
  readonly privateEmulator?: boolean;
  /** An emulator already running, used instead of opening one; stopped with the stack. */
  readonly emulator?: Emulator;
  readonly log?: (line: string) => void;
}

/** A running local stack. */
export interface LocalStack {
  readonly emulator: Emulator;
  readonly resources: BootstrapResult;
  readonly front: Front;
  /** Stops the front, then the emulator if it is ours. Safe to call twice. */
  stop(): Promise<void>;
}

/** The address of GET /v1/policy on a front, as policy-change notices name it (L18). */
export function policyUrlOf(frontUrl: string): string {
  return `${frontUrl}/v1/policy`;
}

/** Starts emulator, resources and front; on failure stops what was started. */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const emulator = options.emulator
    ? options.emulator
    : options.privateEmulator
      ? await startMoto(options.motoPort === undefined ? {} : { port: options.motoPort })
      : await openEmulator(options.motoPort === undefined ? {} : { motoPort: options.motoPort });
  let front: Front | undefined;
  try {
    const resources = await bootstrap({ profile: options.profile, endpoint: emulator.endpoint });
    front = await startFront({
      profile: options.profile,
      env: resources.env,
      issuerKey: options.issuerKey,
      port: options.port ?? 3000,
      ...(options.log ? { log: options.log } : {}),
    });
    // Known once the front listens: policy-change notices name the page (the stack sets the API's).
    const previousPolicyUrl = process.env[ENV.policyUrl];
    process.env[ENV.policyUrl] = policyUrlOf(front.url);
    let stopping: Promise<void> | undefined;
    const started = front;
    return {
      emulator,
      resources,
      front,
      stop: () => {
        stopping ??= started.close().finally(() => {
          if (previousPolicyUrl === undefined) delete process.env[ENV.policyUrl];
          else process.env[ENV.policyUrl] = previousPolicyUrl;
          return emulator.stop();
        });
        return stopping;
      },
    };
  } catch (error) {
    await front?.close();
    await emulator.stop();
    throw error;
  }
}
