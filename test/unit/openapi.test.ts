import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../model/routes/openapi';
import type { Route } from '../../model/routes/route';
import { routes } from '../../model/routes/table';
import { loadCatalogue, profiles } from '../../policy/catalogue';

describe('OpenAPI document', () => {
  it.each(Object.keys(profiles))('is a valid OpenAPI 3.1 document for %s', async (name) => {
    const result = await new Validator().validate(openApiDocument(loadCatalogue(name)));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes every route of the route table, once', () => {
    const doc = openApiDocument(loadCatalogue('littleone')) as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    const operations = Object.values(doc.paths).flatMap((ops) =>
      Object.values(ops).map((op) => op.operationId),
    );
    expect(operations.sort()).toEqual((routes as readonly Route[]).map((r) => r.id).sort());
  });

  it('leaves public routes without security and documents their query parameters', () => {
    const doc = openApiDocument(loadCatalogue('lgcns')) as {
      paths: Record<string, Record<string, { security?: unknown[]; parameters: { name: string }[] }>>;
    };
    const policy = doc.paths['/v1/policy']?.get;
    expect(policy?.security).toEqual([]);
    expect(policy?.parameters.map((p) => p.name)).toEqual(['format']);
  });
});
