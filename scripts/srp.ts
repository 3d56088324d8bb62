/**
 * The client side of Cognito's Secure Remote Password sign-in (USER_SRP_AUTH): the password
 * never leaves this process, only a proof that it is known. SRP-6a over the 3072-bit group of
 * RFC 3526 with SHA-256, and Cognito's password-claim signature over the challenge.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

/** The 3072-bit MODP prime of RFC 3526, section 4. */
const N = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
const G = 2n;

/** `base` to the power `exponent`, modulo `modulus`, by square-and-multiply. */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/**
 * The hex of a non-negative number as SRP hashes it: an even number of digits, and a leading
 * 00 when the first digit would set the high bit, so it never reads as negative.
 */
export function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  else if (/^[89a-f]/i.test(hex)) hex = `00${hex}`;
  return hex;
}

/** SHA-256 of the bytes a hex string spells, as a number. */
export function hashHex(hex: string): bigint {
  return BigInt(`0x${createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex')}`);
}

/** k = H(N | g), the SRP-6a multiplier. */
export const K_MULTIPLIER = hashHex(`${padHex(N)}${padHex(G)}`);

/** The group, for a test playing the server's part. */
export const GROUP = { N, g: G } as const;

/** x = H(salt | H(poolName | userId ":" password)), the private value the verifier is built on. */
export function passwordExponent(poolName: string, userId: string, password: string, salt: bigint): bigint {
  const inner = createHash('sha256').update(`${poolName}${userId}:${password}`).digest('hex');
  return hashHex(`${padHex(salt)}${inner}`);
}

/** The 16-byte key both sides derive from S and u (HKDF-SHA256, info "Caldera Derived Key"). */
export function derivedKey(S: bigint, u: bigint): Buffer {
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex'))
    .update(Buffer.from(padHex(S), 'hex'))
    .digest();
  return createHmac('sha256', prk)
    .update(Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]))
    .digest()
    .subarray(0, 16);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Cognito's TIMESTAMP: `Mon Nov 3 09:05:07 UTC 2026` (day not padded, time padded). */
export function srpTimestamp(now: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[now.getUTCDay()]} ${MONTHS[now.getUTCMonth()]} ${now.getUTCDate()} ${two(now.getUTCHours())}:${two(now.getUTCMinutes())}:${two(now.getUTCSeconds())} UTC ${now.getUTCFullYear()}`;
}

/** The signature over the challenge, keyed by the derived key. */
export function claimSignature(
  key: Buffer,
  poolName: string,
  userId: string,
  secretBlock: string,
  timestamp: string,
): string {
  return createHmac('sha256', key)
    .update(
      Buffer.concat([
        Buffer.from(poolName, 'utf8'),
        Buffer.from(userId, 'utf8'),
        Buffer.from(secretBlock, 'base64'),
        Buffer.from(timestamp, 'utf8'),
      ]),
    )
    .digest('base64');
}

/** What the PASSWORD_VERIFIER challenge gives the client. */
export interface VerifierChallenge {
  readonly SALT: string;
  readonly SRP_B: string;
  readonly SECRET_BLOCK: string;
  readonly USER_ID_FOR_SRP: string;
  /** The account's username; the proof is over USER_ID_FOR_SRP, which may differ (aliases). */
  readonly USERNAME?: string;
}

/** One sign-in's client state: the public value A to send, and the answer to the challenge. */
export interface SrpClient {
  /** SRP_A for InitiateAuth. */
  readonly srpA: string;
  /** The PASSWORD_VERIFIER challenge responses. */
  answer(
    challenge: VerifierChallenge,
    password: string,
    now?: Date,
  ): {
    USERNAME: string;
    PASSWORD_CLAIM_SECRET_BLOCK: string;
    TIMESTAMP: string;
    PASSWORD_CLAIM_SIGNATURE: string;
  };
}

/** Starts an SRP sign-in to `userPoolId`; `secret` (a) is random unless a test fixes it. */
export function srpClient(
  userPoolId: string,
  secret = BigInt(`0x${randomBytes(128).toString('hex')}`),
): SrpClient {
  const poolName = userPoolId.split('_')[1] ?? userPoolId;
  const a = secret;
  const A = modPow(G, a, N);
  return {
    srpA: A.toString(16),
    answer(challenge, password, now = new Date()) {
      const B = BigInt(`0x${challenge.SRP_B}`);
      if (B % N === 0n) throw new Error('The server sent an invalid SRP_B.');
      const u = hashHex(`${padHex(A)}${padHex(B)}`);
      if (u === 0n) throw new Error('The SRP scrambler is zero.');
      const x = passwordExponent(
        poolName,
        challenge.USER_ID_FOR_SRP,
        password,
        BigInt(`0x${challenge.SALT}`),
      );
      const base = (((B - K_MULTIPLIER * modPow(G, x, N)) % N) + N) % N;
      const S = modPow(base, a + u * x, N);
      const timestamp = srpTimestamp(now);
      return {
        // As Amplify answers: the username named, the proof over the SRP user id.
        USERNAME: challenge.USERNAME ?? challenge.USER_ID_FOR_SRP,
        PASSWORD_CLAIM_SECRET_BLOCK: challenge.SECRET_BLOCK,
        TIMESTAMP: timestamp,
        PASSWORD_CLAIM_SIGNATURE: claimSignature(
          derivedKey(S, u),
          poolName,
          challenge.USER_ID_FOR_SRP,
          challenge.SECRET_BLOCK,
          timestamp,
        ),
      };
    },
  };
}
