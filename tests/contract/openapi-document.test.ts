// The OpenAPI document (/openapi.json) against the code it describes: one operation per
// function, built from that function's own declaration, every error code with its status, the
// values a client may send accepted by the schemas that validate them, and a contract check that
// does catch a drifting answer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { execFileSync } from 'node:child_process';
import { ERROR_CODES } from '../../src/domain/error-codes';
import { buildOpenApiDocument, REQUEST_FIELD_DOCS } from '../../src/contract/openapi';
import { contractViolation, openApiDocument } from '../support/contract';
import { declaredRoutes, functionNames } from '../support/routes';

const root = join(__dirname, '..', '..');
const routes = declaredRoutes();
const route = (name: string) => routes.find((r) => r.name === name)!;

describe('the routes', () => {
  it('each function declares the route its file is named for', () => {
    expect(routes.map((r) => r.name)).toEqual(functionNames());
  });

  it.each(functionNames())('%s: the document has its operation, under the method it serves', (name) => {
    expect(Object.keys(openApiDocument().paths[`/${name}`])).toEqual([route(name).methods.join(',').toLowerCase()]);
  });

  it('names operations uniquely', () => {
    const ids = Object.values(openApiDocument().paths).flatMap((item) =>
      Object.values(item).map((op) => (op as { operationId: string }).operationId),
    );
    expect(new Set(ids).size).toBe(routes.length);
    expect(ids).toEqual(expect.arrayContaining(['startVerify', 'totpEnroll', 'jwks', 'createService']));
  });

  it('declares state_unavailable on every route that keeps shared state, and only there', () => {
    for (const r of routes) {
      const op = openApiDocument().paths[`/${r.name}`][r.methods[0].toLowerCase()] as {
        responses: Record<string, unknown>;
      };
      expect(JSON.stringify(op.responses['503'] ?? {}).includes('state_unavailable')).toBe(r.state);
    }
  });
});

describe('the document', () => {
  const doc = buildOpenApiDocument('0.0.0', routes);

  it('is OpenAPI 3.1 with the admin routes behind the bearer scheme', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.proofToken).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    const security = (name: string) => (doc.paths[`/${name}`].post as { security: unknown[] }).security;
    expect(security('create-service')).toEqual([{ adminToken: [] }]);
    expect(security('verification-report')).toEqual([{ adminToken: [] }]);
    for (const name of ['totp-enroll', 'totp-factors', 'totp-remove'])
      expect(security(name)).toEqual([{ proofToken: [] }]);
    for (const name of ['start-verify', 'check-verify', 'totp-check', 'totp-confirm'])
      expect(security(name)).toEqual([]);
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
          const codes: string[] =
            response.content['application/json'].schema.allOf[1].properties.error.properties.code.enum;
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
    const schema = route('start-verify').input!();
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
    const start = route('start-verify').input!();
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
    expect(built).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument(version, routes))));
    // Exits 1 (and throws here) when client/schema.d.ts is not what the document gives.
    execFileSync(process.execPath, [join(root, 'scripts', 'client-types.mjs'), '--check'], {
      cwd: root,
      stdio: 'pipe',
    });
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
  const sent = {
    ok: true,
    verification: 'AXk3',
    to: '+1******2671',
    channel: 'sms',
    status: 'pending',
    sendCodeAttempts: 1,
    retryAfter: 30,
    expiresIn: 600,
    nextChannel: 'call',
  };

  it('accepts an answer as the contract describes it', () => {
    expect(contractViolation({ path: '/start-verify', method: 'POST', status: 200, body: sent })).toBeUndefined();
    expect(
      contractViolation({
        path: '/check-verify',
        method: 'POST',
        status: 401,
        body: { ok: false, status: 'pending', error: { code: 'incorrect_code', message: 'No.', field: 'code' } },
      }),
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
    expect(
      contractViolation({ path: '/start-verify', method: 'POST', status, body: JSON.parse(JSON.stringify(body)) }),
    ).toMatch(/start-verify/);
  });

  it('refuses a route the document does not have', () => {
    expect(contractViolation({ path: '/totally-new', status: 200, body: { ok: true } })).toMatch(
      /not in the OpenAPI document/,
    );
  });
});
