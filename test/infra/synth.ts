/**
 * Synthesizes a profile once per test file and shares the result. Handler bundles do not depend
 * on the profile, so only littleone runs esbuild (proving every handler bundles); lgcns skips
 * bundling and synthesizes in about a second.
 */
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { createPrivacyApp, type PrivacyApp } from '../../lib/app-factory';
import type { ProfileName } from '../../policy/catalogue';

/** A synthesized profile: the app, its template, and where the cloud assembly was written. */
export interface Synthesized extends PrivacyApp {
  readonly template: Template;
  /** The template as plain JSON, for walks `Template` has no matcher for. */
  readonly json: { Resources: Record<string, { Type: string; Properties?: any; Metadata?: any }> };
  readonly assemblyDir: string;
  readonly bundled: boolean;
}

/** The profile whose synth bundles the handlers. */
export const BUNDLED_PROFILE: ProfileName = 'littleone';

const cache = new Map<ProfileName, Synthesized>();

/** The synthesized stack of `profile`, built on first use; throws if cdk-nag finds anything. */
export function synthesize(profile: ProfileName): Synthesized {
  const hit = cache.get(profile);
  if (hit) return hit;
  const bundled = profile === BUNDLED_PROFILE;
  const built = createPrivacyApp({
    context: { profile, ...(bundled ? {} : { 'aws:cdk:bundling-stacks': [] }) },
    // A clean environment: the region guard must pass on the stack's own region alone.
    env: {},
  });
  const template = Template.fromStack(built.stack);
  const synthesized: Synthesized = {
    ...built,
    template,
    json: template.toJSON() as Synthesized['json'],
    assemblyDir: built.app.outdir,
    bundled,
  };
  cache.set(profile, synthesized);
  return synthesized;
}

/** The asset directory of a bundled function, from the template's asset metadata. */
export function assetDirOf(s: Synthesized, logicalId: string): string {
  const path = s.json.Resources[logicalId]?.Metadata?.['aws:asset:path'];
  if (typeof path !== 'string') throw new Error(`${logicalId} has no asset path`);
  return join(s.assemblyDir, path);
}
