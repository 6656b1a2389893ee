/**
 * A JSON Schema subset validator, enough for structured outputs and tool inputs: type (and type
 * lists), enum, const, properties, required, additionalProperties, items (and tuple prefixItems),
 * min/max for numbers, strings and arrays, pattern, anyOf / oneOf / allOf / not, nullable, and
 * local $ref (#/definitions, #/$defs). Unknown keywords are ignored, never rejected.
 * Returns the first problems found (at most `limit`), each with its JSON path.
 */
export function validateJsonSchema(value: unknown, schema: unknown, limit = 5): string[] {
  const problems: string[] = [];
  check(value, schema, '$', schema, problems, limit, 0);
  return problems;
}

type Schema = Record<string, unknown>;

function check(
  value: unknown,
  schema: unknown,
  path: string,
  root: unknown,
  problems: string[],
  limit: number,
  depth: number,
): void {
  if (problems.length >= limit || schema === true || schema === undefined || schema === null) return;
  if (schema === false) {
    problems.push(`${path}: no value is allowed here`);
    return;
  }
  if (typeof schema !== 'object' || depth > 64) return;
  const node = schema as Schema;
  if (typeof node.$ref === 'string') {
    check(value, resolveRef(node.$ref, root), path, root, problems, limit, depth + 1);
    if (Object.keys(node).length === 1) return;
  }
  if (node.nullable === true && value === null) return;

  if (node.type !== undefined) {
    const types = Array.isArray(node.type) ? (node.type as string[]) : [node.type as string];
    if (!types.some((type) => hasType(value, type))) {
      problems.push(`${path}: expected ${types.join(' or ')}, got ${typeName(value)}`);
      return;
    }
  }
  if (Array.isArray(node.enum) && !node.enum.some((option) => deepEqual(option, value))) {
    problems.push(`${path}: not one of ${JSON.stringify(node.enum).slice(0, 80)}`);
  }
  if ('const' in node && !deepEqual(node.const, value))
    problems.push(`${path}: must equal ${JSON.stringify(node.const)}`);

  if (typeof value === 'number') checkNumber(value, node, path, problems);
  if (typeof value === 'string') checkString(value, node, path, problems);
  if (Array.isArray(value)) {
    if (typeof node.minItems === 'number' && value.length < node.minItems) {
      problems.push(`${path}: fewer than ${node.minItems} items`);
    }
    if (typeof node.maxItems === 'number' && value.length > node.maxItems) {
      problems.push(`${path}: more than ${node.maxItems} items`);
    }
    const prefix = Array.isArray(node.prefixItems) ? (node.prefixItems as unknown[]) : [];
    value.forEach((item, index) => {
      const itemSchema = index < prefix.length ? prefix[index] : node.items;
      check(item, itemSchema, `${path}[${index}]`, root, problems, limit, depth + 1);
    });
  } else if (isObject(value)) {
    checkObject(value, node, path, root, problems, limit, depth);
  }

  if (Array.isArray(node.allOf)) {
    for (const part of node.allOf) check(value, part, path, root, problems, limit, depth + 1);
  }
  if (
    Array.isArray(node.anyOf) &&
    !node.anyOf.some((part) => validateJsonSchema(value, withRoot(part, root), 1).length === 0)
  ) {
    problems.push(`${path}: matches none of anyOf`);
  }
  if (Array.isArray(node.oneOf)) {
    const matches = node.oneOf.filter(
      (part) => validateJsonSchema(value, withRoot(part, root), 1).length === 0,
    ).length;
    if (matches !== 1) problems.push(`${path}: matches ${matches} of oneOf, expected exactly 1`);
  }
  if (node.not !== undefined && validateJsonSchema(value, withRoot(node.not, root), 1).length === 0) {
    problems.push(`${path}: matches a schema it must not`);
  }
}

function checkObject(
  value: Record<string, unknown>,
  node: Schema,
  path: string,
  root: unknown,
  problems: string[],
  limit: number,
  depth: number,
): void {
  const properties = isObject(node.properties) ? (node.properties as Record<string, unknown>) : {};
  if (Array.isArray(node.required)) {
    for (const key of node.required as string[]) {
      if (!(key in value) || value[key] === undefined)
        problems.push(`${path}: missing required property '${key}'`);
    }
  }
  for (const [key, item] of Object.entries(value)) {
    const childPath = `${path}.${key}`;
    if (key in properties) check(item, properties[key], childPath, root, problems, limit, depth + 1);
    else if (node.additionalProperties === false) problems.push(`${childPath}: property not allowed`);
    else if (isObject(node.additionalProperties)) {
      check(item, node.additionalProperties, childPath, root, problems, limit, depth + 1);
    }
  }
}

function checkNumber(value: number, node: Schema, path: string, problems: string[]): void {
  if (typeof node.minimum === 'number' && value < node.minimum)
    problems.push(`${path}: below ${node.minimum}`);
  if (typeof node.maximum === 'number' && value > node.maximum)
    problems.push(`${path}: above ${node.maximum}`);
  if (typeof node.exclusiveMinimum === 'number' && value <= node.exclusiveMinimum) {
    problems.push(`${path}: not above ${node.exclusiveMinimum}`);
  }
  if (typeof node.exclusiveMaximum === 'number' && value >= node.exclusiveMaximum) {
    problems.push(`${path}: not below ${node.exclusiveMaximum}`);
  }
}

function checkString(value: string, node: Schema, path: string, problems: string[]): void {
  if (typeof node.minLength === 'number' && value.length < node.minLength) {
    problems.push(`${path}: shorter than ${node.minLength}`);
  }
  if (typeof node.maxLength === 'number' && value.length > node.maxLength) {
    problems.push(`${path}: longer than ${node.maxLength}`);
  }
  if (typeof node.pattern === 'string') {
    try {
      if (!new RegExp(node.pattern, 'u').test(value))
        problems.push(`${path}: does not match ${node.pattern}`);
    } catch {
      // A pattern JavaScript cannot compile is not the answer's fault.
    }
  }
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    default:
      return true;
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer';
  return typeof value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolveRef(reference: string, root: unknown): unknown {
  if (!reference.startsWith('#')) return true;
  let node: unknown = root;
  for (const segment of reference.slice(1).split('/').filter(Boolean)) {
    const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node)) return true;
    node = node[key];
  }
  return node ?? true;
}

// Sub-schemas of anyOf/oneOf/not keep the root's definitions for their $refs.
function withRoot(part: unknown, root: unknown): unknown {
  if (!isObject(part) || !isObject(root)) return part;
  const definitions: Schema = {};
  if (root.definitions) definitions.definitions = root.definitions;
  if (root.$defs) definitions.$defs = root.$defs;
  return { ...definitions, ...part };
}

function deepEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  const leftKeys = Object.keys(left);
  if (leftKeys.length !== Object.keys(right).length) return false;
  return leftKeys.every((key) =>
    deepEqual((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key]),
  );
}
