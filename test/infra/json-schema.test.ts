import { JsonSchemaType, JsonSchemaVersion } from 'aws-cdk-lib/aws-apigateway';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { bodyModelSchema, queryParameters, toApiGatewaySchema } from '../../lib/json-schema';

describe('request schemas for API Gateway', () => {
  it('converts a zod/mini body schema into a draft-4 model schema, constraint for constraint', () => {
    const schema = z.strictObject({
      name: z.string().check(z.minLength(1), z.maxLength(100)),
      relation: z.optional(z.enum(['mom', 'dad'])),
      email: z.email(),
      babies: z.array(z.strictObject({ nickname: z.string() })).check(z.maxLength(10)),
      agreed: z.boolean(),
      age: z.int().check(z.minimum(14)),
    });
    const model = bodyModelSchema(schema);
    expect(model.schema).toBe(JsonSchemaVersion.DRAFT4);
    expect(model.type).toBe(JsonSchemaType.OBJECT);
    expect(model.additionalProperties).toBe(false);
    expect(model.required).toEqual(['name', 'email', 'babies', 'agreed', 'age']);
    expect(model.properties?.name).toEqual({ type: JsonSchemaType.STRING, minLength: 1, maxLength: 100 });
    expect(model.properties?.relation).toEqual({ type: JsonSchemaType.STRING, enum: ['mom', 'dad'] });
    expect(model.properties?.email).toMatchObject({ type: JsonSchemaType.STRING, format: 'email' });
    expect(model.properties?.babies).toMatchObject({
      type: JsonSchemaType.ARRAY,
      maxItems: 10,
      items: { type: JsonSchemaType.OBJECT, required: ['nickname'], additionalProperties: false },
    });
    expect(model.properties?.age).toMatchObject({ type: JsonSchemaType.INTEGER, minimum: 14 });
  });

  it('keeps nullable fields as a choice of the value or null', () => {
    const model = bodyModelSchema(z.strictObject({ nickname: z.optional(z.nullable(z.string())) }));
    expect(model.properties?.nickname).toEqual({ type: [JsonSchemaType.STRING, JsonSchemaType.NULL] });
    const choice = bodyModelSchema(z.strictObject({ size: z.nullable(z.enum(['s', 'm'])) }));
    expect(choice.properties?.size).toEqual({
      anyOf: [{ type: JsonSchemaType.STRING, enum: ['s', 'm'] }, { type: JsonSchemaType.NULL }],
    });
  });

  it('writes a const as a one-value enum, which draft 4 understands', () => {
    expect(toApiGatewaySchema({ const: 'yes' })).toEqual({ enum: ['yes'] });
  });

  it('refuses a keyword API Gateway has no equivalent for, rather than weakening the model', () => {
    expect(() => toApiGatewaySchema({ type: 'object', properties: { a: { if: {} } } })).toThrow(
      'JSON Schema at #/properties/a/if: keyword "if" has no API Gateway equivalent',
    );
  });

  it('refuses a schema of another draft', () => {
    expect(() => toApiGatewaySchema({ $schema: 'https://json-schema.org/draft/2020-12/schema' })).toThrow(
      /need draft 4/,
    );
  });

  it('refuses an unknown type', () => {
    expect(() => toApiGatewaySchema({ type: 'date' })).toThrow('JSON Schema at #/type: unknown type "date"');
  });

  it('declares query parameters as required only when the schema requires them', () => {
    const query = z.strictObject({ format: z.optional(z.enum(['html', 'json'])), page: z.string() });
    expect(queryParameters(query)).toEqual({
      'method.request.querystring.format': false,
      'method.request.querystring.page': true,
    });
  });
});
