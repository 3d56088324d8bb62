/**
 * The lifecycle events' documented contract: the JSON Schema file in the repository is the one
 * the zod schemas give, and the README's table names every detail type with its fields.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  LIFECYCLE_EVENT_TYPES,
  lifecycleEventSchemas,
  lifecycleJsonSchema,
} from '../../model/lifecycle-events';

const COMMON = ['eventId', 'memberId', 'profile', 'occurredAt'];

describe('lifecycle events: the documented schema', () => {
  it('keeps model/lifecycle-events.schema.json equal to the zod schemas', () => {
    const file = JSON.parse(
      readFileSync(new URL('../../model/lifecycle-events.schema.json', import.meta.url), 'utf8'),
    );
    expect(file).toEqual(JSON.parse(JSON.stringify(lifecycleJsonSchema())));
  });

  it("lists every detail type and each of its fields in the README's Lifecycle events section", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.split('\n## Lifecycle events\n')[1]?.split('\n## ')[0] ?? '';
    expect(section).toContain('at least once');
    expect(section).toContain('detail.eventId');
    for (const type of LIFECYCLE_EVENT_TYPES) {
      const row = section.split('\n').find((line) => line.startsWith(`| \`${type}\` |`));
      expect(row, type).toBeDefined();
      const fields = Object.keys(lifecycleEventSchemas[type].shape).filter((f) => !COMMON.includes(f));
      for (const field of fields) expect(row, `${type}.${field}`).toContain(`\`${field}\``);
    }
  });

  it('declares ids, purposes, decisions and reasons only: every field is a string id, a flag or a list of ids', () => {
    const schema = lifecycleJsonSchema() as {
      $defs: Record<string, { properties: Record<string, { type: string; items?: { type: string } }> }>;
    };
    for (const [type, def] of Object.entries(schema.$defs)) {
      for (const [field, prop] of Object.entries(def.properties)) {
        const kind = prop.type === 'array' ? `array of ${prop.items?.type}` : prop.type;
        expect(['string', 'boolean', 'array of string'], `${type}.${field}`).toContain(kind);
      }
    }
  });
});
