/**
 * Synthesizes a profile once per test file and shares the result. Handler bundles differ by
 * profile only in the catalogue data they hold, so only littleone runs esbuild (proving every
 * handler bundles); lgcns skips bundling and synthesizes in about a second.
 */
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { createPrivacyApp, type PrivacyApp } from '../../lib/app-factory';
import type { ProfileName } from '../../policy/catalogue';

/** A value of the template: CloudFormation JSON has no useful static type. */
// biome-ignore lint/suspicious/noExplicitAny: tests walk raw CloudFormation JSON
export type Cfn = any;

/** A resource of the template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Cfn;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly DependsOn?: string[];
}

/** A synthesized profile: the app, its template, and where the cloud assembly was written. */
export interface Synthesized extends PrivacyApp {
  readonly template: Template;
  /** The template as plain JSON, for walks `Template` has no matcher for. */
  readonly json: { Resources: Record<string, CfnResource> };
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

/** The staged bundle directory of a function: the assembly names it after the code's asset hash. */
export function assetDirOf(s: Synthesized, logicalId: string): string {
  const key = s.json.Resources[logicalId]?.Properties?.Code?.S3Key;
  if (typeof key !== 'string') throw new Error(`${logicalId} has no code asset`);
  return join(s.assemblyDir, `asset.${key.replace(/\.zip$/, '')}`);
}

/** A profile's stack and template synthesized without bundling, with extra context if any. */
export interface TemplateOnly {
  readonly stack: PrivacyApp['stack'];
  readonly json: { Resources: Record<string, CfnResource>; Outputs?: Record<string, Cfn> };
}

/**
 * The template of `profile` with `context` added, built without bundling any handler (a
 * second or so per profile): for tests of the template's shape, where the code assets do not matter.
 */
export function templateOnly(profile: ProfileName, context: Record<string, unknown> = {}): TemplateOnly {
  const built = createPrivacyApp({
    context: { profile, 'aws:cdk:bundling-stacks': [], ...context },
    env: {},
  });
  return { stack: built.stack, json: Template.fromStack(built.stack).toJSON() as TemplateOnly['json'] };
}
