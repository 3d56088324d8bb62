/**
 * The README's cost estimate multiplies the synthesized templates' own counts: it is regenerated
 * here from both profiles and must equal the README's copy (`npm run readme` rewrites it).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { costSection, resourcesOf, secretsOf, withCostSection } from '../../scripts/cost';

describe('the cost estimate', () => {
  it('is current in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(withCostSection(readme, costSection())).toBe(readme);
  });

  it('counts the federation secrets each template resolves at deploy time', () => {
    expect(secretsOf(resourcesOf('littleone')).sort()).toEqual([
      'privacy/littleone/apple-private-key',
      'privacy/littleone/google-client-secret',
    ]);
    // lgcns signs in with passwords: nothing is resolved from Secrets Manager.
    expect(secretsOf(resourcesOf('lgcns'))).toEqual([]);
  });
});
