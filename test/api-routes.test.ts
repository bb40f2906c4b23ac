/**
 * The client's route table (shared/api-routes.ts) against the OpenAPI document the server
 * serves: every route the SDK and the web client call exists with its method, and takes and
 * answers the shapes the client is typed with. A route the server renames, drops, or gives
 * another body or answer fails here; a schema changed in shared/ that the client does not follow
 * fails `tsc -p client/web`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../shared/api-routes.ts';
import { shapeOf } from './helpers/openapi.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

interface Operation {
  parameters?: Array<{ in: string; name: string; required?: boolean; schema: unknown }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}

let server: TestServer;
let paths: Record<string, Record<string, Operation>>;

beforeAll(async () => {
  server = await startTestServer();
  paths = ((await (await fetch(`${server.url}/docs/json`)).json()) as { paths: typeof paths }).paths;
});
afterAll(async () => {
  await server?.close();
});

const entries = Object.entries(API_ROUTES) as Array<[string, { body?: unknown; query?: unknown; response?: unknown; responses?: Record<number, unknown>; status?: number; multipart?: boolean }]>;

function operationOf(route: string): Operation | undefined {
  const [method, path] = route.split(' ') as [string, string];
  return paths[path.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
}

/** The query parameters as one object schema, the way the route declared them. */
function queryShape(operation: Operation) {
  const query = (operation.parameters ?? []).filter((p) => p.in === 'query');
  return shapeOf({ type: 'object', properties: Object.fromEntries(query.map((p) => [p.name, p.schema])), required: query.filter((p) => p.required).map((p) => p.name) });
}

describe('the client’s routes and the served OpenAPI document', () => {
  it('lists every route the client calls, with its method and path parameters', () => {
    const missing = entries.map(([route]) => route).filter((route) => !operationOf(route));
    expect(missing).toEqual([]);
    for (const [route] of entries) {
      const declared = (operationOf(route)!.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name).sort();
      expect([...route.matchAll(/:(\w+)/g)].map((m) => m[1]).sort(), route).toEqual(declared);
    }
  });

  it('takes the body and the query the client sends', () => {
    for (const [route, contract] of entries) {
      const operation = operationOf(route)!;
      const served = operation.requestBody?.content['application/json']?.schema;
      if (contract.body) expect(shapeOf(served), `${route} body`).toEqual(shapeOf(contract.body));
      else if (contract.multipart) expect(Object.keys(operation.requestBody?.content ?? {}), route).toContain('multipart/form-data');
      else expect(served, `${route} takes no JSON body in the client`).toBeUndefined();
      if (contract.query) expect(queryShape(operation), `${route} query`).toEqual(shapeOf(contract.query));
    }
  });

  it('answers what the client reads', () => {
    for (const [route, contract] of entries) {
      const responses = operationOf(route)!.responses;
      const success = Object.keys(responses).filter((code) => code.startsWith('2'));
      if (contract.status !== undefined) {
        expect(success, route).toContain(String(contract.status));
        continue;
      }
      if (contract.responses) {
        expect(success.sort(), route).toEqual(Object.keys(contract.responses).sort());
        for (const [code, schema] of Object.entries(contract.responses)) {
          expect(shapeOf(responses[code]!.content!['application/json']!.schema), `${route} ${code}`).toEqual(shapeOf(schema));
        }
        continue;
      }
      // A 202 that carries the error body (a message held for review) is read as an error, not as the answer.
      const withBody = success.filter((code) => {
        const schema = responses[code]?.content?.['application/json']?.schema as { $ref?: string } | undefined;
        return schema && !schema.$ref?.endsWith('ErrorResponse');
      });
      expect(withBody.length, `${route} answers JSON`).toBeGreaterThan(0);
      // Every success the route can answer (200 and 201, 200 and 202) reads as the one shape.
      for (const code of withBody) expect(shapeOf(responses[code]!.content!['application/json']!.schema), `${route} ${code}`).toEqual(shapeOf(contract.response));
    }
  });
});
