import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../model/routes/openapi';
import type { Route } from '../../model/routes/route';
import { routes } from '../../model/routes/table';
import { loadCatalogue, profiles } from '../../policy/catalogue';
import { littleoneWith } from '../support/recipients';

describe('OpenAPI document', () => {
  it.each(Object.keys(profiles))('is a valid OpenAPI 3.1 document for %s', async (name) => {
    const result = await new Validator().validate(openApiDocument(loadCatalogue(name)));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes every route of the route table, once', () => {
    // With a recipient a member can consent to, every route is served.
    const doc = openApiDocument(littleoneWith()) as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    const operations = Object.values(doc.paths).flatMap((ops) =>
      Object.values(ops).map((op) => op.operationId),
    );
    expect(operations.sort()).toEqual((routes as readonly Route[]).map((r) => r.id).sort());
  });

  it('L5: documents the consent per recipient only where the policy names a recipient, validly', async () => {
    const path = '/v1/me/provision-consents/{recipient}';
    const named = openApiDocument(littleoneWith()) as { paths: Record<string, unknown> };
    expect(Object.keys(named.paths)).toContain(path);
    const result = await new Validator().validate(named);
    expect(result.errors ?? []).toEqual([]);
    for (const name of Object.keys(profiles)) {
      const doc = openApiDocument(loadCatalogue(name)) as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths), name).not.toContain(path);
    }
  });

  it('leaves public routes without security and documents their query parameters', () => {
    const doc = openApiDocument(loadCatalogue('lgcns')) as {
      paths: Record<string, Record<string, { security?: unknown[]; parameters: { name: string }[] }>>;
    };
    const policy = doc.paths['/v1/policy']?.get;
    expect(policy?.security).toEqual([]);
    expect(policy?.parameters.map((p) => p.name)).toEqual(['format', 'lang']);
  });
});
