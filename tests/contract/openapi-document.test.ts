// The OpenAPI document (/openapi.json) against the code it describes: one registry entry per
// function, every error code with its status, the values a client may send accepted by the
// schemas that validate them, and a contract check that does catch a drifting answer.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { execFileSync } from 'node:child_process';
import { ERROR_CODES } from '../../src/domain/error-codes';
import { buildOpenApiDocument, REQUEST_FIELD_DOCS } from '../../src/contract/openapi';
import { ROUTES } from '../../src/contract/routes';
import { requireAdmin } from '../../src/http/admin-auth';
import { requireProofToken, requireSentCodeProof } from '../../src/tokens/bearer';
import { contractViolation, openApiDocument } from '../support/contract';

const root = join(__dirname, '..', '..');
const functionNames = readdirSync(join(root, 'functions')).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));

describe('the route registry', () => {
  it('has exactly one entry per functions/*.ts file', () => {
    expect(Object.keys(ROUTES).sort()).toEqual(functionNames.sort());
  });

  it.each(functionNames)('%s: the entry names the handler it describes, with its method, its auth and the schema it validates with', async (name) => {
    const mod = (await import(join(root, 'functions', `${name}.ts`))) as { handler: { route: string; input(): unknown; methods: string[]; auth?: unknown } };
    expect(mod.handler.route).toBe(name);
    // The function bundles its own schema (the registry would bring every route's response
    // schemas along); the document describes that very schema object.
    expect(mod.handler.input()).toBe(ROUTES[name].request);
    expect(mod.handler.auth).toBe({ admin: requireAdmin, proof: requireProofToken, 'sent-code-proof': requireSentCodeProof, none: undefined }[ROUTES[name].security ?? 'none']);
    const methods = mod.handler.methods.join(',').toLowerCase();
    expect(ROUTES[name].method ?? 'post').toBe(methods);
    expect(Object.keys(openApiDocument().paths[`/${name}`])).toEqual([methods]);
  });

  it('names operations uniquely', () => {
    const ids = Object.values(ROUTES).map((r) => r.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('the document', () => {
  const doc = buildOpenApiDocument('0.0.0');

  it('is OpenAPI 3.1 with the admin routes behind the bearer scheme', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [name, route] of Object.entries(ROUTES)) {
      const op = doc.paths[`/${name}`][route.method ?? 'post'] as { security: unknown[] };
      expect(op.security).toEqual(route.security === 'admin' ? [{ adminToken: [] }] : route.security === 'proof' || route.security === 'sent-code-proof' ? [{ proofToken: [] }] : []);
    }
  });

  it('lists every error code of src/domain/error-codes.ts with its HTTP status', () => {
    const schema = doc.components.schemas.ErrorCode as { enum: string[]; 'x-http-status': Record<string, number> };
    expect(schema.enum.sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const [code, { status }] of Object.entries(ERROR_CODES)) expect(schema['x-http-status'][code]).toBe(status);
  });

  it('declares each error under the status its code has', () => {
    for (const item of Object.values(doc.paths)) {
      for (const op of Object.values(item) as Array<{ responses: Record<string, any> }>) {
        for (const [status, response] of Object.entries(op.responses)) {
          if (Number(status) < 400) continue;
          const codes: string[] = response.content['application/json'].schema.allOf[1].properties.error.properties.code.enum;
          expect(codes.length).toBeGreaterThan(0);
          for (const code of codes) expect(ERROR_CODES[code as keyof typeof ERROR_CODES].status).toBe(Number(status));
        }
      }
    }
  });

  it('gives channel and locale (read through a lookup) their values, each accepted by the schema', () => {
    const start = doc.paths['/start-verify'].post as any;
    const props = start.requestBody.content['application/json'].schema.properties;
    expect(props.channel.enum).toEqual(expect.arrayContaining(['sms', 'call', 'voice', 'email', 'whatsapp', 'rcs']));
    expect(props.locale.enum).toEqual(expect.arrayContaining(['en', 'fr', 'pt-BR']));
    const schema = ROUTES['start-verify'].request!;
    for (const channel of REQUEST_FIELD_DOCS.channel.enum as string[]) {
      expect(z.safeParse(schema, { to: '+14155552671', channel }).success).toBe(true);
    }
    for (const locale of REQUEST_FIELD_DOCS.locale.enum as string[]) {
      expect(z.safeParse(schema, { to: '+14155552671', locale }).success).toBe(true);
    }
    expect(z.safeParse(schema, { to: '+14155552671', channel: 'pigeon' }).success).toBe(false);
    expect(z.safeParse(schema, { to: '+14155552671', locale: 'xx' }).success).toBe(false);
  });

  it('documents fields only where a route takes them, with patterns the schemas agree with', () => {
    const start = ROUTES['start-verify'].request!;
    expect(z.safeParse(start, { to: '+14155552671', appHash: 'FA+9qCX9VSu' }).success).toBe(true);
    expect(z.safeParse(start, { to: '+14155552671', appHash: 'short' }).success).toBe(false);
    expect(z.safeParse(start, { to: '+14155552671', country: 'GB' }).success).toBe(true);
    expect(z.safeParse(start, { to: '+14155552671', clientKey: 'device-1:a.b_c' }).success).toBe(true);
    const pattern = (name: string) => new RegExp(REQUEST_FIELD_DOCS[name].pattern as string);
    expect(pattern('appHash').test('FA+9qCX9VSu')).toBe(true);
    expect(pattern('clientKey').test('device 1')).toBe(false);
  });

  it('is what the build served (dist/assets/openapi.json) and what the committed client types come from', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const built = JSON.parse(readFileSync(join(root, 'dist', 'assets', 'openapi.json'), 'utf8'));
    expect(built).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument(version))));
    // Exits 1 (and throws here) when client/schema.d.ts is not what the document gives.
    execFileSync(process.execPath, [join(root, 'scripts', 'client-types.mjs'), '--check'], { cwd: root, stdio: 'pipe' });
  });

  it('gives every schema with an enum or const its type (dist/assets/openapi.json), so other generators do not read it as "anything"', () => {
    // openapi-zod-client, for one, emits z.unknown() for `{ enum: [...] }` without `type`.
    const built: unknown = JSON.parse(readFileSync(join(root, 'dist', 'assets', 'openapi.json'), 'utf8'));
    const untyped: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${path}/${i}`));
      if (typeof node !== 'object' || node === null) return;
      const schema = node as Record<string, unknown>;
      if (('enum' in schema || 'const' in schema) && typeof schema.type !== 'string') untyped.push(path);
      for (const [key, value] of Object.entries(schema)) walk(value, `${path}/${key}`);
    };
    walk(built, '#');
    expect(untyped).toEqual([]);
  });
});

describe('the contract check (tests/support/contract.ts)', () => {
  const sent = { ok: true, verification: 'AXk3', to: '+1******2671', channel: 'sms', status: 'pending', sendCodeAttempts: 1, retryAfter: 30, expiresIn: 600, nextChannel: 'call' };

  it('accepts an answer as the contract describes it', () => {
    expect(contractViolation({ path: '/start-verify', method: 'POST', status: 200, body: sent })).toBeUndefined();
    expect(
      contractViolation({ path: '/check-verify', method: 'POST', status: 401, body: { ok: false, status: 'pending', error: { code: 'incorrect_code', message: 'No.', field: 'code' } } }),
    ).toBeUndefined();
  });

  it.each([
    ['a field the contract does not have', 200, { ...sent, sid: 'VE123' }],
    ['a field of the wrong type', 200, { ...sent, retryAfter: '30' }],
    ['a missing field', 200, { ...sent, verification: undefined }],
    ['a channel outside the enum', 200, { ...sent, channel: 'pigeon' }],
    ['a status the route does not declare', 418, { ok: false, error: { code: 'internal_error', message: 'x' } }],
    ['an error code under another status', 400, { ok: false, error: { code: 'incorrect_code', message: 'x' } }],
    ['an error code the route does not declare', 403, { ok: false, error: { code: 'admin_disabled', message: 'x' } }],
    ['an error without its message', 400, { ok: false, error: { code: 'invalid_request' } }],
  ])('refuses %s', (_what, status, body) => {
    expect(contractViolation({ path: '/start-verify', method: 'POST', status, body: JSON.parse(JSON.stringify(body)) })).toMatch(/start-verify/);
  });

  it('refuses a route the document does not have', () => {
    expect(contractViolation({ path: '/totally-new', status: 200, body: { ok: true } })).toMatch(/not in the OpenAPI document/);
  });
});
