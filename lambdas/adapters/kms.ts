/** The KMS client, built once per process, pinned to Seoul like every client of the product. */
import { KMSClient } from '@aws-sdk/client-kms';
import { type KeyDomain, keyEnv } from '../../model/resources';
import { SEOUL_REGION } from '../../policy/schema';
import { requireEnv } from '../runtime/env';

let client: KMSClient | undefined;

/** The shared KMS client, built on first use, so a function that never calls KMS bundles none. */
export function kms(): KMSClient {
  client ??= new KMSClient({ region: SEOUL_REGION });
  return client;
}

/** The key id of a domain, read from its environment variable on first use. */
export function keyId(domain: KeyDomain): string {
  return requireEnv(keyEnv(domain));
}
