/**
 * Who is calling, read from the claims API Gateway's Cognito authorizer puts on the event (the
 * local front verifies tokens and sets the same claims). The member id is the token's subject,
 * never a path or body value.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { SignInMethod } from '../../policy/schema';
import type { Principal } from '../runtime/principal';

const providerMethods: Record<string, SignInMethod> = {
  google: 'google',
  signinwithapple: 'apple',
  apple: 'apple',
};

/** Cognito sends list claims as arrays, or flattened to "a,b" / "[a b]" strings by REST APIs. */
function listClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string' || value === '') return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[,\s]+/)
    .filter(Boolean);
}

function signInMethod(identities: unknown): SignInMethod {
  let parsed: unknown = identities;
  if (typeof identities === 'string') {
    try {
      parsed = JSON.parse(identities);
    } catch {
      parsed = undefined;
    }
  }
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  const provider =
    first && typeof first === 'object' && 'providerName' in first
      ? String(first.providerName).toLowerCase()
      : '';
  return providerMethods[provider] ?? 'password';
}

/** The caller of an authorized route, or undefined when the event carries no verified claims. */
export function principalOf(event: APIGatewayProxyEvent): Principal | undefined {
  const claims = event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub === '') return undefined;
  return {
    memberId: sub,
    groups: listClaim(claims?.['cognito:groups']),
    method: signInMethod(claims?.identities),
  };
}
