/**
 * G17: officers sign in with TOTP MFA on every profile. The pre-token-generation trigger, the
 * very handler the stack deploys, runs against moto's Cognito user pool configured as lgcns's
 * (MFA optional, so members sign in with passwords alone): an officer gets tokens only once an
 * authenticator app is enabled on the account, a member never waits for a call, and an account
 * the pool cannot read gets no token.
 */
import {
  AdminListGroupsForUserCommand,
  AdminSetUserMFAPreferenceCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEnvironment, clientConfig, localAwsEnvironment } from '../../local/bootstrap';
import { type Emulator, startMoto } from '../../local/emulator';
import { OFFICER_GROUP } from '../../model/routes/route';
import { triggers } from '../../model/workloads';
import { enableTotp as enableAppOn, passwordAccount, passwordClient } from '../support/cognito-accounts';

type Handler = (event: PreTokenGenerationTriggerEvent) => Promise<PreTokenGenerationTriggerEvent>;

describe('G17: the pre-token-generation trigger', () => {
  let emulator: Emulator;
  let cognito: CognitoIdentityProviderClient;
  let restore: () => void;
  let handler: Handler;
  let userPoolId: string;
  let clientId: string;

  /** A password account in the pool, in the officers' group when asked. */
  const account = (username: string, officer: boolean) =>
    passwordAccount(cognito, userPoolId, username, officer);

  /** The event Cognito sends before issuing `username`'s tokens, with the groups the pool holds. */
  async function tokenEvent(username: string, pool = userPoolId): Promise<PreTokenGenerationTriggerEvent> {
    const { Groups } = await cognito.send(
      new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: username }),
    );
    const groups = (Groups ?? []).map((g) => g.GroupName!);
    return {
      version: '1',
      triggerSource: 'TokenGeneration_Authentication',
      region: 'ap-northeast-2',
      userPoolId: pool,
      userName: username,
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
      request: {
        userAttributes: { sub: `sub-of-${username}` },
        groupConfiguration: { groupsToOverride: groups, iamRolesToOverride: [], preferredRole: undefined },
      },
      response: { claimsOverrideDetails: null },
    } as unknown as PreTokenGenerationTriggerEvent;
  }

  /** Enables an authenticator app on the account, as the officer does with their own access token. */
  const enableTotp = (username: string) => enableAppOn(cognito, { userPoolId, clientId, username });

  beforeAll(async () => {
    emulator = await startMoto();
    restore = applyEnvironment(localAwsEnvironment(emulator.endpoint));
    cognito = new CognitoIdentityProviderClient(clientConfig(emulator.endpoint));
    const { UserPool } = await cognito.send(
      new CreateUserPoolCommand({
        PoolName: 'privacy-lgcns',
        MfaConfiguration: 'OPTIONAL',
        UserPoolTier: 'PLUS',
      }),
    );
    userPoolId = UserPool!.Id!;
    clientId = await passwordClient(cognito, userPoolId);
    await cognito.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: OFFICER_GROUP }));
    ({ handler } = (await import(`../../lambdas/handlers/${triggers.preTokenGeneration.handler}.ts`)) as {
      handler: Handler;
    });
  });

  afterAll(async () => {
    cognito?.destroy();
    restore?.();
    await emulator?.stop();
  });

  it('issues no token to an officer whose account has no TOTP MFA', async () => {
    await account('officer-kim', true);
    await expect(handler(await tokenEvent('officer-kim'))).rejects.toMatchObject({
      kind: 'forbidden',
      title: 'MFA required',
    });
  });

  it('issues tokens to the same officer once an authenticator app is enabled, unchanged', async () => {
    await account('officer-lee', true);
    await expect(handler(await tokenEvent('officer-lee'))).rejects.toMatchObject({ kind: 'forbidden' });
    await enableTotp('officer-lee');
    const event = await tokenEvent('officer-lee');
    expect(await handler(structuredClone(event))).toEqual(event);
  });

  it('refuses again when the officer’s MFA is switched off', async () => {
    await account('officer-park', true);
    await enableTotp('officer-park');
    await expect(handler(await tokenEvent('officer-park'))).resolves.toBeDefined();
    await cognito.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: userPoolId,
        Username: 'officer-park',
        SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
      }),
    );
    await expect(handler(await tokenEvent('officer-park'))).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('lets a member sign in with a password alone, without reading the account', async () => {
    await account('member-choi', false);
    // A pool that does not exist: the member's tokens must not depend on any call to it.
    const event = await tokenEvent('member-choi', 'ap-northeast-2_doesnotexist');
    expect(await handler(structuredClone(event))).toEqual(event);
  });

  it('fails closed: an officer whose account cannot be read gets no token', async () => {
    await account('officer-jung', true);
    await enableTotp('officer-jung');
    const event = await tokenEvent('officer-jung', 'ap-northeast-2_doesnotexist');
    await expect(handler(event)).rejects.toMatchObject({ kind: 'dependency-failed', dependency: 'cognito' });
  });
});
