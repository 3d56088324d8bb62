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

/** The federated identity of the token (API Gateway passes it as a JSON string), if any. */
function federatedIdentity(identities: unknown): Record<string, unknown> | undefined {
  let parsed: unknown = identities;
  if (typeof identities === 'string') {
    try {
      parsed = JSON.parse(identities);
    } catch {
      parsed = undefined;
    }
  }
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  return first && typeof first === 'object' ? (first as Record<string, unknown>) : undefined;
}

function signInMethod(identity: Record<string, unknown> | undefined): SignInMethod {
  const provider = identity?.providerName ? String(identity.providerName).toLowerCase() : '';
  return providerMethods[provider] ?? 'password';
}

/** A claim that is a non-empty string, or undefined. */
function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The caller of an authorized route, or undefined when the event carries no verified claims. */
export function principalOf(event: APIGatewayProxyEvent): Principal | undefined {
  const claims = event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub === '') return undefined;
  const identity = federatedIdentity(claims?.identities);
  const username = text(claims?.['cognito:username']);
  const providerUserId = text(identity?.userId);
  return {
    memberId: sub,
    groups: listClaim(claims?.['cognito:groups']),
    method: signInMethod(identity),
    signInIds: {
      ...(username ? { username } : {}),
      ...(providerUserId ? { 'provider-user-id': providerUserId } : {}),
    },
  };
}
