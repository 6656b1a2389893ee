import { describe, expect, it } from 'vitest';
import { validateJsonSchema } from './json-schema-validator';

const order = {
  type: 'object',
  properties: {
    id: { type: 'integer', minimum: 1 },
    status: { enum: ['open', 'closed'] },
    items: { type: 'array', minItems: 1, items: { $ref: '#/$defs/item' } },
    note: { type: ['string', 'null'], maxLength: 10 },
  },
  required: ['id', 'status', 'items'],
  additionalProperties: false,
  $defs: {
    item: {
      type: 'object',
      properties: {
        sku: { type: 'string', pattern: '^[A-Z]{3}-\\d+$' },
        quantity: { type: 'number', exclusiveMinimum: 0 },
      },
      required: ['sku', 'quantity'],
    },
  },
};

describe('validateJsonSchema', () => {
  it('accepts a value that matches', () => {
    expect(
      validateJsonSchema(
        { id: 3, status: 'open', items: [{ sku: 'ABC-1', quantity: 2 }], note: null },
        order,
      ),
    ).toEqual([]);
  });

  it('names each problem with its path', () => {
    const problems = validateJsonSchema(
      { id: 1.5, status: 'lost', items: [{ sku: 'abc', quantity: 0 }], extra: true },
      order,
      10,
    );
    expect(problems).toEqual([
      '$.id: expected integer, got number',
      '$.status: not one of ["open","closed"]',
      '$.items[0].sku: does not match ^[A-Z]{3}-\\d+$',
      '$.items[0].quantity: not above 0',
      '$.extra: property not allowed',
    ]);
  });

  it('reports missing required properties, wrong types and empty arrays', () => {
    expect(validateJsonSchema({ status: 'open', items: [] }, order)).toEqual([
      "$: missing required property 'id'",
      '$.items: fewer than 1 items',
    ]);
    expect(validateJsonSchema('text', order)).toEqual(['$: expected object, got string']);
  });

  it('handles anyOf, oneOf and not', () => {
    const schema = { anyOf: [{ type: 'string' }, { type: 'number' }] };
    expect(validateJsonSchema(1, schema)).toEqual([]);
    expect(validateJsonSchema(true, schema)).toEqual(['$: matches none of anyOf']);
    expect(validateJsonSchema(2, { oneOf: [{ type: 'number' }, { type: 'integer' }] })).toEqual([
      '$: matches 2 of oneOf, expected exactly 1',
    ]);
    expect(validateJsonSchema('x', { not: { type: 'string' } })).toEqual(['$: matches a schema it must not']);
  });
});
