/**
 * The formats of the federation secrets CloudFormation hands to Cognito at deploy time. A wrong
 * one deploys without complaint and breaks sign-in later, so preflight checks them first.
 */
import { createPrivateKey } from 'node:crypto';

/** Why a Google client secret would not work, or undefined when it looks right. */
export function googleSecretProblem(value: string): string | undefined {
  if (value === '') return 'is empty';
  if (/^\s*[{[]/.test(value)) return 'holds JSON; store the client secret alone, as one string';
  if (/\s/.test(value)) return 'holds whitespace or a line break; store the client secret alone, on one line';
  return undefined;
}

/** Why an Apple private key would not work, or undefined when it is a P-256 PKCS#8 PEM (.p8). */
export function appleKeyProblem(value: string): string | undefined {
  const pem = value.trim();
  if (!/^-----BEGIN PRIVATE KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PRIVATE KEY-----$/.test(pem)) {
    return /-----BEGIN EC PRIVATE KEY-----/.test(pem)
      ? 'is a SEC1 EC key, not the PKCS#8 PEM of a .p8 file (convert: openssl pkcs8 -topk8 -nocrypt -in key.pem -out AuthKey.p8)'
      : 'is not a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----), as in the AuthKey_<key id>.p8 file from Apple';
  }
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    return 'is a PEM block that does not parse as a private key';
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
    return `is a ${key.asymmetricKeyType ?? 'unknown'}${curve ? ` ${curve}` : ''} key, not the P-256 EC key Sign in with Apple issues`;
  }
  return undefined;
}
