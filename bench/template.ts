/**
 * A profile's synthesized template, as `cdk synth` would write it but with bundling skipped: the
 * cost model reads what the stack holds (functions' memory, keys, alarms, schedules) from it.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { createPrivacyApp } from '../lib/app-factory';
import type { ProfileName } from '../policy/catalogue';
import type { Resources } from './cost';

/** Templates synthesized in this process: a profile's template does not change within it. */
const synthesized = new Map<ProfileName, Resources>();

/** The resources of `profile`'s synthesized template (bundling skipped: code costs nothing idle). */
export function templateResources(profile: ProfileName): Resources {
  const known = synthesized.get(profile);
  if (known) return known;
  const { stack } = createPrivacyApp({
    context: { profile, 'aws:cdk:bundling-stacks': [] },
    env: {},
    // cdk-nag annotates and adds no resource: the counts are the same without its packs.
    complianceChecks: false,
  });
  const resources = (Template.fromStack(stack).toJSON() as { Resources: Resources }).Resources;
  synthesized.set(profile, resources);
  return resources;
}
