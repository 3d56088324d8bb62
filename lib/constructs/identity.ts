import { Aws, Duration, type RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  UserPoolIdentityProviderApple,
  UserPoolIdentityProviderGoogle,
  UserPoolOperation,
} from 'aws-cdk-lib/aws-cognito';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { OFFICER_GROUP } from '../../model/routes/route';
import { type TriggerName, triggers } from '../../model/workloads';
import type { SignInMethod } from '../../policy/schema';
import { RETAINED, TRIGGER_DEFAULTS } from '../defaults';
import type { FederationSettings } from '../settings';
import { type BindableResources, PrivacyFunction } from './privacy-function';

/** The name of a Cognito trigger in the resource model. */

/** The Cognito operation each trigger of the resource model answers. */
export const TRIGGER_OPERATIONS: Readonly<Record<TriggerName, UserPoolOperation>> = {
  postAuthentication: UserPoolOperation.POST_AUTHENTICATION,
  preSignUp: UserPoolOperation.PRE_SIGN_UP,
  preTokenGeneration: UserPoolOperation.PRE_TOKEN_GENERATION,
};

/** What the Cognito triggers need to run. */
export interface TriggerResources {
  /** What trigger functions may be bound to. */
  readonly resources: BindableResources;
  /** Encrypts the triggers' log groups. */
  readonly logsKey: IKey;
  /** Days the triggers' logs are kept. */
  readonly logRetentionDays: number;
}

/** Properties of {@link Identity}. */
export interface IdentityProps {
  /** The catalogue profile; it names the pool, domain and secrets. */
  readonly profile: string;
  /** The catalogue's sign-in methods: `password` keeps accounts in Cognito, the others federate. */
  readonly signIn: readonly SignInMethod[];
  /** Client ids of Google and Apple; used only when the profile signs in with them. */
  readonly federation: FederationSettings;
  /** Where the hosted sign-in may return members to. */
  readonly callbackUrls: readonly string[];
  /** Resources of the Cognito triggers of the resource model. */
  readonly triggerResources: TriggerResources;
  /**
   * What happens to the user pool when the stack is deleted.
   * @default RETAINED (removed only if the first create fails), with deletion protection on
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The Secrets Manager name of a federation secret; the value never passes through the template. */
export function federationSecretName(
  profile: string,
  secret: 'google-client-secret' | 'apple-private-key',
): string {
  return `privacy/${profile}/${secret}`;
}

/**
 * The hosted sign-in domain's prefix: the stack name and the account, lower-cased. Prefixes are
 * global across AWS; the domain goes with the stack (the pool is kept), so a redeploy finds its
 * prefix free again, and keeps the redirect URI registered at Google and Apple.
 */
export function cognitoDomainPrefix(stack: Stack): string {
  return `${stack.stackName.toLowerCase()}-${Aws.ACCOUNT_ID}`;
}

/**
 * Who members are: a Cognito user pool that holds no personal data of its own (no email or phone
 * attributes: those live encrypted in the members table), Google and Apple federation or
 * password sign-in as the catalogue says, and the privacy officers' group.
 */
export class Identity extends Construct {
  /** The user pool. */
  readonly userPool: UserPool;
  /** The app's client: public (no secret), authorization code with PKCE for federation. */
  readonly client: UserPoolClient;
  /** The hosted sign-in domain: the pages' sign-in, and federation's where a method needs it. */
  readonly domain: UserPoolDomain;
  /** Whether every native account must use MFA (only officers have native accounts). */
  readonly mfaRequired: boolean;
  /** The function of each Cognito trigger, by its name in the resource model. */
  readonly triggers: Readonly<Record<TriggerName, PrivacyFunction>>;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    const passwords = props.signIn.includes('password');
    const federated = props.signIn.filter((m): m is 'google' | 'apple' => m !== 'password');
    this.mfaRequired = !passwords;

    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: `privacy-${props.profile}`,
      // Members of a password profile sign themselves up; a federated profile's native
      // accounts are only officers, created by an administrator.
      selfSignUpEnabled: passwords,
      signInAliases: { username: true },
      signInCaseSensitive: false,
      // No email or phone in Cognito, so nothing to recover with: officers reset passwords.
      accountRecovery: AccountRecovery.NONE,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // A password profile offers TOTP to members who want it; SMS would mean storing phones.
      // Where the only native accounts are officers, MFA is required of all of them.
      mfa: this.mfaRequired ? Mfa.REQUIRED : Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: props.removalPolicy ?? RETAINED,
    });

    const built = {} as Record<TriggerName, PrivacyFunction>;
    for (const [name, trigger] of Object.entries(triggers) as [
      TriggerName,
      (typeof triggers)[TriggerName],
    ][]) {
      const fn = new PrivacyFunction(this, name, {
        handler: trigger.handler,
        description: `Cognito ${name} trigger`,
        profile: props.profile,
        grants: trigger.grants,
        // A trigger may read accounts of the pool that invokes it (the officers' MFA check).
        resources: { ...props.triggerResources.resources, userPool: this.userPool },
        logsKey: props.triggerResources.logsKey,
        logRetentionDays: props.triggerResources.logRetentionDays,
        // Cognito waits five seconds for a trigger, then fails the sign-in.
        timeout: TRIGGER_DEFAULTS.timeout,
      });
      this.userPool.addTrigger(TRIGGER_OPERATIONS[name], fn.function);
      built[name] = fn;
    }
    this.triggers = built;

    new CfnUserPoolGroup(this, 'Officers', {
      userPoolId: this.userPool.userPoolId,
      groupName: OFFICER_GROUP,
      description: 'Privacy officers: may call officer routes of the privacy API.',
      precedence: 0,
    });

    const providers: UserPoolClientIdentityProvider[] = [UserPoolClientIdentityProvider.COGNITO];
    const dependencies: Construct[] = [];
    if (federated.includes('google')) {
      dependencies.push(
        new UserPoolIdentityProviderGoogle(this, 'Google', {
          userPool: this.userPool,
          clientId: props.federation.googleClientId,
          clientSecretValue: SecretValue.secretsManager(
            federationSecretName(props.profile, 'google-client-secret'),
          ),
          // Only the subject: items are collected by the app, with consent, into encrypted storage.
          scopes: ['openid'],
        }),
      );
      providers.push(UserPoolClientIdentityProvider.GOOGLE);
    }
    if (federated.includes('apple')) {
      dependencies.push(
        new UserPoolIdentityProviderApple(this, 'Apple', {
          userPool: this.userPool,
          clientId: props.federation.appleServicesId,
          teamId: props.federation.appleTeamId,
          keyId: props.federation.appleKeyId,
          privateKeyValue: SecretValue.secretsManager(
            federationSecretName(props.profile, 'apple-private-key'),
          ),
          // Apple needs at least one scope; no attribute is mapped into the pool.
          scopes: ['email'],
        }),
      );
      providers.push(UserPoolClientIdentityProvider.APPLE);
    }

    // The hosted sign-in: federation goes through it, and the pages sign in there (code + PKCE).
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: cognitoDomainPrefix(Stack.of(this)) },
    });

    this.client = this.userPool.addClient('AppClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      supportedIdentityProviders: providers,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID],
        callbackUrls: [...props.callbackUrls],
      },
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
    // The client names the providers by name, so they must exist first.
    for (const provider of dependencies) this.client.node.addDependency(provider);
  }
}
