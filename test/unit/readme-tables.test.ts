/**
 * The README's generated tables (every function's variables and grants, from the model) are
 * current: `npm run readme` rewrites them, and this test fails until it has been run after a
 * change to routes, workloads, resources or grants.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ProfileName, profiles } from '../../policy/catalogue';
import {
  envSection,
  functionsOf,
  grantsSection,
  README,
  renderReadme,
  sections,
} from '../../scripts/readme-tables';

const readme = readFileSync(README, 'utf8');
const PROFILES = Object.keys(profiles) as ProfileName[];

/** The text between a generated section's markers in the README. */
function section(name: string): string | undefined {
  const match = new RegExp(`<!-- generated:${name} -->\\n([\\s\\S]*?)\\n<!-- /generated:${name} -->`).exec(
    readme,
  );
  return match?.[1];
}

describe('the README generated from the model', () => {
  it('holds each generated section as the model makes it today (npm run readme rewrites them)', () => {
    for (const [name, body] of Object.entries(sections())) {
      expect(section(name), `README section ${name}: run npm run readme`).toBe(body);
    }
    expect(renderReadme(readme)).toBe(readme);
  });

  it('names every function of both profiles, each with a handler file, in both tables', () => {
    const env = envSection();
    const grants = grantsSection();
    for (const profile of PROFILES) {
      for (const fn of functionsOf(profile)) {
        expect(
          existsSync(new URL(`../../lambdas/handlers/${fn.handler}.ts`, import.meta.url)),
          fn.handler,
        ).toBe(true);
        expect(env, `${profile} ${fn.handler}`).toContain(`\`${fn.handler}\``);
        expect(grants, `${profile} ${fn.handler}`).toContain(`\`${fn.handler}\``);
      }
    }
  });

  it('marks a function that only some profiles have with those profiles', () => {
    const byProfile = PROFILES.map((p) => new Set(functionsOf(p).map((fn) => fn.handler)));
    const partial = [...new Set(byProfile.flatMap((set) => [...set]))].filter((h) =>
      byProfile.some((set) => !set.has(h)),
    );
    expect(partial.length).toBeGreaterThan(0);
    for (const handler of partial) {
      const owners = PROFILES.filter((_, i) => byProfile[i]!.has(handler));
      const row = grantsSection()
        .split('\n')
        .find((line) => line.includes(`\`${handler}\``));
      expect(row, handler).toContain(`(${owners.join(', ')} only)`);
    }
  });

  it('refuses a README without the markers rather than dropping a section', () => {
    expect(() => renderReadme('# no markers\n')).toThrow(/generated:env/);
  });
});
