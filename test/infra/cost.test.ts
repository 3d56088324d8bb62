/**
 * The README's cost figures multiply the synthesized templates' own counts and the last bench
 * run's measured units: they are regenerated here and must equal the README's copy
 * (`npm run readme` rewrites them).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { functionConfigs, secretsOf } from '../../bench/cost';
import { templateResources } from '../../bench/template';
import { withCostSections } from '../../scripts/cost';

describe('the cost estimate', () => {
  it('is current in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(withCostSections(readme)).toBe(readme);
  });

  it('counts the federation secrets each template resolves at deploy time', () => {
    expect(secretsOf(templateResources('littleone')).sort()).toEqual([
      'privacy/littleone/apple-private-key',
      'privacy/littleone/google-client-secret',
    ]);
    // lgcns signs in with passwords: nothing is resolved from Secrets Manager.
    expect(secretsOf(templateResources('lgcns'))).toEqual([]);
  });

  it("reads every function's memory and architecture from the template, by handler", () => {
    const configs = functionConfigs(templateResources('littleone'));
    expect(Object.keys(configs).length).toBeGreaterThan(30);
    expect(configs['get-me']).toEqual({ memoryMb: 512, architecture: 'arm64' });
    expect(configs['worker-inactivity']?.architecture).toBe('arm64');
  });
});
