/**
 * Builds the OpenAPI 3.1 document from the routes' own declarations (each function's
 * `defineRoute`, collected by the build from `handler.declaration`): request bodies from the
 * zod/mini schemas the functions validate with (zod's JSON Schema output, input side), success
 * bodies from the declared response schemas (./responses), errors from src/domain/error-codes.ts,
 * security schemes from each route's `auth`. The build writes it to dist/assets/openapi.json
 * (served as /openapi.json); tests validate every answer against it.
 */
import * as z from 'zod/mini';
import { CHANNEL_ALIASES, CHANNELS } from '../domain/channels';
import { ERROR_CODES, type ErrorCode } from '../domain/error-codes';
import { VERIFY_LOCALES } from '../../twilio-facts/verify-locales';
import type { RouteDeclaration } from '../http/define-route';
import { COMMON_ERRORS, STATE_ERRORS } from './error-groups';

type JsonSchema = Record<string, unknown>;

/**
 * What zod cannot say about fields it reads through a transform (a lookup such as `channel` is
 * "a string of at most 20 characters" to it): the values and meaning a client needs, by field name.
 * tests/unit/openapi.test.ts checks every value listed here is accepted by the route's schema.
 */
export const REQUEST_FIELD_DOCS: Readonly<Record<string, JsonSchema>> = {
  to: { description: 'Phone number (E.164, or national with `country`) or email address.', examples: ['+14155552671'] },
  channel: {
    type: 'string',
    enum: [...CHANNELS, ...Object.keys(CHANNEL_ALIASES)],
    description: 'How the code is sent (case-insensitive; `voice` = `call`). Default `sms`.',
  },
  locale: {
    type: 'string',
    enum: [...VERIFY_LOCALES],
    description: 'The message language: a language Verify supports (any letter case; `pt_BR` = `pt-BR`).',
  },
  country: { pattern: '^[A-Za-z]{2}$', description: 'ISO 3166 alpha-2 country of a national `to` (e.g. `GB`).' },
  clientKey: {
    pattern: '^[A-Za-z0-9._:-]+$',
    description: 'An app-chosen key such as a device id, metered by the `client_key` rate limit.',
  },
  phone: { description: 'Another destination (phone) a later resend may fall back to; it travels in the handle.' },
  email: { description: 'Another destination (email) a later resend may fall back to; it travels in the handle.' },
  code: {
    description: 'The code the person received: 4–10 letters or digits; spaces and dashes are ignored.',
    examples: ['123456'],
  },
  appHash: {
    pattern: '^[A-Za-z0-9+/]{11}$',
    description:
      "Android only: your app's SMS Retriever hash. Verify appends it to the SMS (`<#> Your code is 123456 FA+9qCX9VSu`) so the app reads the code without a permission.",
  },
  verification: { description: 'The handle /start-verify (or the latest /resend-verify) answered with.' },
};

const ROUTE_DOCS_TITLE = 'verify-functions';

function jsonSchema(schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function requestSchema(schema: z.ZodMiniType): JsonSchema {
  const generated = jsonSchema(schema, 'input');
  const properties = (generated.properties ?? {}) as Record<string, JsonSchema>;
  for (const [name, property] of Object.entries(properties)) {
    const docs = REQUEST_FIELD_DOCS[name];
    if (docs) properties[name] = { ...property, ...docs };
  }
  return generated;
}

/**
 * The error body, with `code` narrowed to the codes a response may carry. Every `enum` and
 * `const` in the document carries its `type`: generators such as openapi-zod-client read a
 * schema without one as "anything" (z.unknown()).
 */
function errorSchema(codes: readonly ErrorCode[]): JsonSchema {
  return {
    allOf: [
      { $ref: '#/components/schemas/Error' },
      {
        type: 'object',
        properties: { error: { type: 'object', properties: { code: { type: 'string', enum: [...codes] } } } },
      },
    ],
  };
}

const RETRY_AFTER_HEADER = {
  description: 'Seconds to wait (also in `error.retryAfter`), when Verify or the schedule gave one.',
  schema: { type: 'integer', minimum: 0 },
};

/** `start-verify` → `startVerify`: the operationId (client/schema.d.ts's `operations` are keyed by it). */
const operationId = (name: string) => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

function operation(route: RouteDeclaration): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, schema] of Object.entries(route.responses)) {
    responses[status] = {
      description: status === '201' ? 'Created' : 'OK',
      headers: { 'Cache-Control': { schema: { type: 'string', const: route.cacheControl ?? 'no-store' } } },
      content: { 'application/json': { schema: jsonSchema(schema(), 'output') } },
    };
  }
  const codes = [...new Set([...COMMON_ERRORS, ...(route.state ? STATE_ERRORS : []), ...route.errors])];
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const { status } = ERROR_CODES[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, statusCodes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: statusCodes.map((code) => `\`${code}\`: ${ERROR_CODES[code].message}`).join('\n\n'),
      ...(status === 429 ? { headers: { 'Retry-After': RETRY_AFTER_HEADER } } : {}),
      ...(status === 405
        ? { headers: { Allow: { description: 'The methods the route takes.', schema: { type: 'string' } } } }
        : {}),
      content: { 'application/json': { schema: errorSchema(statusCodes) } },
    };
  }
  const body = route.input ? requestSchema(route.input()) : undefined;
  return {
    operationId: operationId(route.name),
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    security: route.security ? [{ [route.security.name]: [] }] : [],
    ...(body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: body }, 'application/x-www-form-urlencoded': { schema: body } },
          },
        }
      : {}),
    responses,
  };
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
  [key: string]: unknown;
}

/** The document for these routes (every functions/*.ts's `handler.declaration`). */
export function buildOpenApiDocument(version: string, routes: readonly RouteDeclaration[]): OpenApiDocument {
  const schemes = new Map(
    routes.flatMap((route) => (route.security ? [[route.security.name, route.security] as const] : [])),
  );
  const allCodes = Object.keys(ERROR_CODES) as ErrorCode[];
  return {
    openapi: '3.1.0',
    info: {
      title: ROUTE_DOCS_TITLE,
      version,
      summary: 'Phone and email verification (one-time codes) over Twilio Verify.',
      description:
        'Every route takes POST with a JSON or form-encoded body (GET for /jwks) and answers JSON. Success: `{"ok": true, …}`. ' +
        'Failure: `{"ok": false, "error": {"code", "message", "field"?, "twilioCode"?, "retryAfter"?}}` with the HTTP status of its code ' +
        '(see the `ErrorCode` schema). A parameter a route does not take is refused with 400 `invalid_request` naming it in `field`.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [
      { url: '/', description: 'The deployment serving this document (the page and the functions share an origin).' },
    ],
    tags: [
      { name: 'verification', description: 'Send and check one-time codes.' },
      { name: 'tokens', description: 'Proof tokens for your backend.' },
      { name: 'admin', description: 'Owner routes: Authorization: Bearer ADMIN_TOKEN.' },
      { name: 'totp', description: 'Authenticator apps (TOTP), behind a proof token.' },
    ],
    paths: Object.fromEntries(
      [...routes]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((route) => [`/${route.name}`, { [route.methods.join().toLowerCase()]: operation(route) }]),
    ),
    components: {
      schemas: {
        ErrorCode: {
          type: 'string',
          enum: allCodes,
          description:
            'Stable machine codes, each with its HTTP status:\n\n| code | HTTP | default message |\n|---|---|---|\n' +
            allCodes
              .map((code) => `| \`${code}\` | ${ERROR_CODES[code].status} | ${ERROR_CODES[code].message} |`)
              .join('\n'),
          'x-http-status': Object.fromEntries(allCodes.map((code) => [code, ERROR_CODES[code].status])),
        },
        Error: {
          type: 'object',
          required: ['ok', 'error'],
          additionalProperties: false,
          properties: {
            ok: { type: 'boolean', const: false },
            status: {
              type: 'string',
              description: "The verification's state when Verify reported it (e.g. `pending` on `incorrect_code`).",
            },
            error: {
              type: 'object',
              required: ['code', 'message'],
              additionalProperties: false,
              properties: {
                code: { $ref: '#/components/schemas/ErrorCode' },
                message: { type: 'string', description: 'Safe to show a person.' },
                field: { type: 'string', description: 'The input the error concerns.' },
                twilioCode: { type: 'integer', description: "Twilio's error code behind it, for support." },
                retryAfter: { type: 'integer', minimum: 0, description: 'Seconds to wait before trying again.' },
              },
            },
          },
        },
      },
      // Only the schemes some route uses: a linter refuses an unused one.
      securitySchemes: Object.fromEntries(
        [...schemes.values()].sort((a, b) => a.name.localeCompare(b.name)).map(({ name, ...scheme }) => [name, scheme]),
      ),
    },
  };
}
