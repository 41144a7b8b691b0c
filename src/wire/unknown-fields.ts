import leven from 'leven';

/**
 * Unknown fields are refused, never dropped: a misspelled filter silently ignored (`task/list {"caseId": …}` answered
 * every task) is the most dangerous answer a server can give. Every object of a request schema is closed
 * (`additionalProperties: false`) when its route is registered, so no schema can forget it, and the refusal names
 * the closest known field.
 */

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

function isObjectSchema(schema: JsonSchema): boolean {
  return schema.properties !== undefined && (schema.type === undefined || [schema.type].flat().includes('object'));
}

/**
 * A copy of a request schema with every object that lists its properties closed to others (keys its
 * `patternProperties` match, as case templates' `…__CST` fields, still pass). Objects with an `additionalProperties` of
 * their own and schemas of any JSON (`Type.Unknown()`) are left as they are.
 */
export function closeObjects<T>(schema: T): T {
  const walk = (node: JsonSchema): JsonSchema => {
    const copy: JsonSchema = { ...node };
    if (node.properties) copy.properties = Object.fromEntries(Object.entries(node.properties).map(([key, child]) => [key, walk(child)]));
    if (node.items) copy.items = walk(node.items);
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
      const branches = node[key];
      if (branches) copy[key] = branches.map(walk);
    }
    // A key matched by patternProperties stays allowed: additionalProperties covers only the keys neither names.
    if (isObjectSchema(node) && node.additionalProperties === undefined) copy.additionalProperties = false;
    return copy;
  };
  return walk(schema as JsonSchema) as T;
}

/** The schema and the value at an ajv instance path (`/taskInfo/title`), or undefined where the path leaves the schema. */
export function locate(schema: unknown, data: unknown, instancePath: string): { schema: JsonSchema; data: unknown } | undefined {
  let node = schema as JsonSchema | undefined;
  let value = data;
  for (const raw of instancePath.split('/').filter(Boolean)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node) return undefined;
    node = node.properties?.[key] ?? node.items;
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return node ? { schema: node, data: value } : undefined;
}

/** Fields that AICC's own pages name differently from call to call: the known mix-ups, tried before spelling. */
const MIXED_UP: Record<string, readonly string[]> = {
  caseId: ['relateId', 'id'],
  taskId: ['id'],
  id: ['caseId', 'taskId'],
  isAutoAssigned: ['isAtuoAssigned'],
  caseTypeId: ['type'],
  typeId: ['type'],
  owner: ['ownerId'],
  creator: ['creatorId'],
  customField: ['customFied'],
  additionalAddress: ['addtionalAddress'],
  externalNo: ['extternalNo'],
  resumeType: ['resumenType'],
  summaryType: ['resumenType'],
};

/** The known field a caller most likely meant by `unknown`, if one is close enough to say so. */
export function closestField(unknown: string, known: readonly string[]): string | undefined {
  // Own keys only: a field named `valueOf` or `constructor` found Object.prototype's function here (a 500, found by the fuzz test).
  const mixedUp = (Object.hasOwn(MIXED_UP, unknown) ? MIXED_UP[unknown] : undefined)?.find((name) => known.includes(name));
  if (mixedUp) return mixedUp;
  const lower = unknown.toLowerCase();
  const sameLetters = known.find((name) => name.toLowerCase() === lower);
  if (sameLetters) return sameLetters;
  // A third of the name may be wrong (at least two letters): `titel` → `title`, `ownerID` → `ownerId`, not `id` → `type`.
  const maxDistance = Math.max(2, Math.floor(unknown.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = leven(lower, name.toLowerCase(), { maxDistance: maxDistance + 1 });
    if (distance <= maxDistance && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** The keys of an object value that its schema does not know. */
export function unknownKeys(schema: JsonSchema, data: unknown): string[] {
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !schema.properties) return [];
  const patterns = Object.keys(schema.patternProperties ?? {}).map((pattern) => new RegExp(pattern, 'u'));
  return Object.keys(data).filter((key) => !(key in (schema.properties ?? {})) && !patterns.some((pattern) => pattern.test(key)));
}

/** Removes, in place, every key a schema does not know, at every level (the `unknownFields: ignore` wire profile). */
export function dropUnknownFields(schema: unknown, data: unknown): void {
  const node = schema as JsonSchema;
  if (Array.isArray(data)) {
    if (node.items) for (const item of data) dropUnknownFields(node.items, item);
    return;
  }
  if (typeof data !== 'object' || data === null || !node.properties) return;
  const record = data as Record<string, unknown>;
  for (const key of unknownKeys(node, record)) delete record[key];
  for (const [key, child] of Object.entries(node.properties)) if (key in record) dropUnknownFields(child, record[key]);
}

/** The parts of a request that a schema describes field by field. */
const REQUEST_PARTS = ['body', 'querystring', 'params'] as const;

/**
 * Closes the request schemas of every route registered in this plugin (see closeObjects). The token route stays
 * outside: OAuth 2.0 (RFC 6749 §3.1) has servers ignore request parameters they do not know.
 */
export function refuseUnknownFields(app: { addHook(name: 'onRoute', hook: (route: { schema?: Record<string, unknown> }) => void): unknown }): void {
  app.addHook('onRoute', (route) => {
    const schema = route.schema;
    if (!schema) return;
    for (const part of REQUEST_PARTS) if (schema[part] !== undefined) schema[part] = closeObjects(schema[part]);
  });
}
