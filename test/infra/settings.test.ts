import { describe, expect, it } from 'vitest';
import {
  assertRegion,
  DeploymentError,
  PLACEHOLDERS,
  refusedRegion,
  regionSourcesOf,
  settingsFromContext,
} from '../../lib/settings';

const SEOUL = 'ap-northeast-2';
const context = (values: Record<string, unknown>) => (key: string) => values[key];

describe('the region guard', () => {
  it('allows a synth when no source names a region', () => {
    expect(refusedRegion({}, SEOUL)).toBeUndefined();
  });

  it('allows a synth when every source names Seoul', () => {
    const sources = { context: SEOUL, awsRegion: SEOUL, awsDefaultRegion: SEOUL, cdkDefaultRegion: SEOUL };
    expect(refusedRegion(sources, SEOUL)).toBeUndefined();
  });

  it.each([
    ['a -c region= context', { context: 'eu-west-1' }, 'eu-west-1'],
    ['AWS_REGION', { awsRegion: 'us-west-2' }, 'us-west-2'],
    ['AWS_DEFAULT_REGION', { awsDefaultRegion: 'ap-northeast-1' }, 'ap-northeast-1'],
    ['CDK_DEFAULT_REGION', { cdkDefaultRegion: 'ap-southeast-1' }, 'ap-southeast-1'],
    [
      'CDK_DEFAULT_REGION backed by AWS_REGION',
      { awsRegion: SEOUL, cdkDefaultRegion: 'us-east-1' },
      'us-east-1',
    ],
  ])('refuses another region named by %s', (_, sources, refused) => {
    expect(refusedRegion(sources, SEOUL)).toBe(refused);
  });

  it("ignores the CLI's us-east-1 fallback when nothing configured a region", () => {
    // The CDK CLI sets CDK_DEFAULT_REGION=us-east-1 when it finds no region at all.
    expect(refusedRegion({ cdkDefaultRegion: 'us-east-1' }, SEOUL)).toBeUndefined();
  });

  it('names the refused region and the one allowed, in one line', () => {
    expect(() => assertRegion({ awsRegion: 'us-east-1' }, SEOUL)).toThrowError(
      new DeploymentError(
        'Refusing to synthesize: region us-east-1 is not allowed; this stack deploys only to ap-northeast-2 (Seoul).',
      ),
    );
  });

  it('reads the region sources of a process environment', () => {
    expect(
      regionSourcesOf({ AWS_REGION: 'a', AWS_DEFAULT_REGION: 'b', CDK_DEFAULT_REGION: 'c', OTHER: 'd' }, 'e'),
    ).toEqual({ context: 'e', awsRegion: 'a', awsDefaultRegion: 'b', cdkDefaultRegion: 'c' });
  });
});

describe('deployment settings from context', () => {
  it('falls back to placeholders that let synth run offline', () => {
    const settings = settingsFromContext(context({}));
    expect(settings).toMatchObject({
      profile: PLACEHOLDERS.profile,
      senderDomain: 'example.com',
      senderAddress: 'privacy@example.com',
      senderIdentity: 'create',
      callbackUrls: ['https://example.com/auth/callback'],
      federation: {
        googleClientId: PLACEHOLDERS.googleClientId,
        appleServicesId: PLACEHOLDERS.appleServicesId,
        appleTeamId: PLACEHOLDERS.appleTeamId,
        appleKeyId: PLACEHOLDERS.appleKeyId,
      },
    });
  });

  it('takes values from context, comma-separated or as a list', () => {
    const settings = settingsFromContext(
      context({
        profile: 'lgcns',
        senderDomain: 'Mail.Example.KR',
        senderAddress: 'notice@mail.example.kr',
        callbackUrls: 'littleone://auth, https://app.example.kr/cb',
      }),
    );
    expect(settings).toMatchObject({
      profile: 'lgcns',
      senderDomain: 'mail.example.kr',
      senderAddress: 'notice@mail.example.kr',
      callbackUrls: ['littleone://auth', 'https://app.example.kr/cb'],
    });
    expect(settingsFromContext(context({})).alarmEmail).toBeUndefined();
    expect(
      settingsFromContext(context({ alarmEmail: 'ops@example.kr', senderIdentity: 'existing' })),
    ).toMatchObject({ alarmEmail: 'ops@example.kr', senderIdentity: 'existing' });
    expect(settingsFromContext(context({ callbackUrls: ['a://b', 'c://d'] })).callbackUrls).toEqual([
      'a://b',
      'c://d',
    ]);
  });

  it.each([
    [{ senderDomain: 'not a domain' }, 'Context senderDomain "not a domain" is not a domain name.'],
    [
      { senderAddress: 'privacy@elsewhere.com' },
      'Context senderAddress must be an address at example.com (the verified SES domain).',
    ],
    [
      { callbackUrls: 'http://app.example.com/cb' },
      'Context callbackUrls: http://app.example.com/cb must use https.',
    ],
    [{ appleTeamId: 'short' }, 'Context appleTeamId must be 10 upper-case letters or digits.'],
    [{ profile: 7 }, 'Context profile must be a string.'],
    [{ alarmEmail: 'ops' }, 'Context alarmEmail must be an email address.'],
    [{ senderIdentity: 'reuse' }, 'Context senderIdentity must be "create" or "existing".'],
  ])('refuses %o with one line naming the setting', (values, message) => {
    expect(() => settingsFromContext(context(values))).toThrowError(new DeploymentError(message));
  });
});
