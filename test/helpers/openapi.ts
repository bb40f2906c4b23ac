/**
 * Compares a TypeBox schema with the one the server's OpenAPI document shows for it. The
 * document is OpenAPI 3.0, so fastify-swagger rewrites some JSON Schema forms on the way
 * (`const` becomes a one-value `enum`, `anyOf [X, null]` becomes X with `nullable` or null an
 * `enum: [null]`); `shapeOf`
 * reads both forms as the same shape: the fields and which are required, nested, with their
 * types and allowed values. Descriptions and limits are left out: they are the server's to tune.
 */
export type Shape = string | { [key: string]: Shape } | Shape[];

export function shapeOf(schema: unknown): Shape {
  const s = schema as Record<string, any> | null;
  if (!s || typeof s !== 'object') return 'any';
  if ('const' in s) return { enum: [JSON.stringify(s.const)] };
  if (Array.isArray(s.enum)) return { enum: s.enum.map((v: unknown) => JSON.stringify(v)).sort() };
  const union = s.anyOf ?? s.oneOf;
  if (Array.isArray(union)) {
    // null written either way: `{ type: 'null' }`, or `{ enum: [null] }` as OpenAPI 3.0 has no null type.
    const members = union.filter((m: any) => m?.type !== 'null' && !(Array.isArray(m?.enum) && m.enum.every((v: unknown) => v === null))).map(shapeOf);
    // A union of single values is one set of allowed values, however it is written.
    if (members.length > 0 && members.every((m: Shape) => typeof m === 'object' && !Array.isArray(m) && Object.keys(m).join() === 'enum')) {
      return { enum: [...new Set(members.flatMap((m: any) => m.enum as string[]))].sort() };
    }
    const distinct = [...new Map(members.map((m: Shape) => [JSON.stringify(m), m])).values()];
    return distinct.length === 1 ? distinct[0]! : { anyOf: distinct.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) };
  }
  const type = Array.isArray(s.type) ? s.type.filter((t: string) => t !== 'null') : [s.type];
  if (type.includes('object') || s.properties) {
    const properties: Record<string, Shape> = {};
    for (const key of Object.keys(s.properties ?? {}).sort()) properties[key] = shapeOf(s.properties[key]);
    const shape: Record<string, Shape> = { properties, required: [...(s.required ?? [])].sort() };
    // A record's values: TypeBox writes `patternProperties`, the OpenAPI document `additionalProperties`.
    const values = s.patternProperties ? Object.values(s.patternProperties)[0] : s.additionalProperties;
    if (values && typeof values === 'object') shape.additionalProperties = shapeOf(values);
    return shape;
  }
  if (type.includes('array')) return { items: shapeOf(s.items) };
  return type.length === 1 && type[0] ? String(type[0]) : 'any';
}
