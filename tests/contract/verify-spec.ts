/**
 * Twilio's own OpenAPI description of Verify v2, turned into JSON Schemas that ajv validates
 * emulator responses against. The spec comes from the `@twilio-alpha/mcp` package (a
 * devDependency) so the contract test runs on any fresh clone. The file is never edited: the
 * patches below derive a stricter, corrected view in code, each with its reason.
 */
import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Schema = { [key: string]: Json };

interface OpenApiResponse {
  content?: Record<string, { schema?: Schema }>;
}
interface OpenApiOperation {
  operationId: string;
  responses: Record<string, OpenApiResponse>;
}
export interface OpenApiSpec {
  paths: Record<string, Record<string, OpenApiOperation | Json>>;
  components: { schemas: Record<string, Schema> };
}

const SPEC_PATH = require.resolve('@twilio-alpha/mcp/twilio-oai/spec/json/twilio_verify_v2.json');

export function loadVerifySpec(): OpenApiSpec {
  return JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as OpenApiSpec;
}

/** Verify's wire format for dates (the spec's descriptions say RFC 2822; its examples and the SDK use this). */
const TWILIO_DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$';

/**
 * The statuses a Verification can have, from the description of `verification_enum_status`
 * (the enum itself only lists the two values the update parameter accepts).
 */
const VERIFICATION_STATUSES = [
  'pending',
  'approved',
  'canceled',
  'max_attempts_reached',
  'deleted',
  'failed',
  'expired',
];

const isObject = (value: Json | undefined): value is { [key: string]: Json } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Rewrites a named component schema before conversion (each API's corrections, with reasons). */
export type ComponentPatch = (name: string, schema: Schema) => Schema;

/**
 * "Every property the schema lists" is the emulator's contract, and nothing else: the spec
 * leaves all properties optional and objects open, which would let a typo through.
 */
export function requireEveryProperty(schema: Schema): void {
  const properties = schema['properties'];
  if (!isObject(properties)) return;
  schema['required'] = Object.keys(properties);
  schema['additionalProperties'] = false;
}

/** Patches applied to named component schemas before conversion. */
function patchComponent(name: string, schema: Schema): Schema {
  const patched = structuredClone(schema);
  // The channel enums list sms, call, email, whatsapp, sna; their own description and
  // twilio-node 6 also name rcs, which Verify answers with for RCS sends.
  if (name === 'verification_enum_channel' || name === 'verification_check_enum_channel') {
    const values = Array.isArray(patched['enum']) ? patched['enum'] : [];
    patched['enum'] = [...values, 'rcs'];
  }
  if (name.startsWith('verify.v2.') && isObject(patched['properties'])) {
    const properties = patched['properties'];
    requireEveryProperty(patched);
    if (name === 'verify.v2.service.verification' || name === 'verify.v2.service.verification_check') {
      properties['status'] = { type: 'string', enum: VERIFICATION_STATUSES };
    }
    // Newer revisions of the spec (twilio-oai's twilio_verify_v2.json, 2025+) list `options`
    // (nullable) on a new Factor after `binding`; the packaged revision predates it.
    if (name === 'verify.v2.service.entity.new_factor' && !('options' in properties)) {
      const entries = Object.entries(properties);
      const at = entries.findIndex(([key]) => key === 'binding') + 1;
      entries.splice(at, 0, ['options', { nullable: true }]);
      patched['properties'] = Object.fromEntries(entries);
      patched['required'] = entries.map(([key]) => key);
    }
    // The spec types send_code_attempts items as {}; its examples show {attempt_sid, channel, time}.
    if (name === 'verify.v2.service.verification') {
      properties['send_code_attempts'] = {
        type: 'array',
        items: {
          type: 'object',
          required: ['attempt_sid', 'channel', 'time'],
          additionalProperties: false,
          properties: {
            attempt_sid: { type: 'string', pattern: '^VL[0-9a-fA-F]{32}$' },
            channel: { $ref: '#/components/schemas/verification_enum_channel' },
            // Live attempt times carry milliseconds (docs/verify-facts.md, "What the emulator must refuse"), unlike the other dates.
            time: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$' },
          },
        },
      };
      // Live: {"carrier": null} or Lookup's carrier data, never {} (docs/verify-facts.md, "What the emulator must refuse").
      properties['lookup'] = {
        type: 'object',
        required: ['carrier'],
        additionalProperties: false,
        properties: {
          carrier: {
            anyOf: [
              { type: 'null' },
              {
                type: 'object',
                required: ['error_code', 'name', 'mobile_country_code', 'mobile_network_code', 'type'],
                properties: { type: { type: 'string', enum: ['mobile', 'landline', 'voip'] } },
              },
            ],
          },
        },
      };
    }
  }
  return patched;
}

const ANNOTATIONS = new Set(['description', 'example', 'examples', 'title', 'deprecated', 'readOnly', 'writeOnly']);

/**
 * OpenAPI 3.0 schema → JSON Schema: `$ref`s inlined, `nullable` turned into a null type or
 * enum member (ajv refuses `nullable` without `type`), `x-` and annotation keywords dropped,
 * the spec's `uri-map` format spelled out as "an object of URI strings", dates pinned to
 * Twilio's format.
 */
function toJsonSchema(node: Schema, spec: OpenApiSpec, patch: ComponentPatch, seen: readonly string[] = []): Schema {
  const ref = node['$ref'];
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/schemas/', '');
    const target = spec.components.schemas[name];
    if (!target || seen.includes(name)) throw new Error(`unresolvable or recursive $ref ${ref}`);
    return toJsonSchema(patch(name, target), spec, patch, [...seen, name]);
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (ANNOTATIONS.has(key) || key.startsWith('x-') || key === 'nullable') continue;
    if (key === 'properties' && isObject(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, isObject(sub) ? toJsonSchema(sub, spec, patch, seen) : sub]),
      );
    } else if ((key === 'items' || key === 'additionalProperties') && isObject(value)) {
      out[key] = toJsonSchema(value, spec, patch, seen);
    } else if (['allOf', 'anyOf', 'oneOf'].includes(key) && Array.isArray(value)) {
      out[key] = value.map((sub) => (isObject(sub) ? toJsonSchema(sub, spec, patch, seen) : sub));
    } else {
      out[key] = value;
    }
  }
  if (out['format'] === 'uri-map') {
    delete out['format'];
    out['additionalProperties'] = { type: 'string', format: 'uri' };
  }
  if (out['format'] === 'date-time') out['pattern'] = TWILIO_DATE_PATTERN;
  if (node['nullable'] === true) {
    if (typeof out['type'] === 'string') out['type'] = [out['type'], 'null'];
    if (Array.isArray(out['enum'])) out['enum'] = [...out['enum'], null];
  }
  return out;
}

/** List pages: the records key and every `meta` field must be present (the SDK's Page reads them). */
function requireListShape(schema: Schema): Schema {
  const properties = schema['properties'];
  if (!isObject(properties) || !isObject(properties['meta'])) return schema;
  const meta = properties['meta'];
  if (isObject(meta['properties'])) {
    meta['required'] = Object.keys(meta['properties']);
    meta['additionalProperties'] = false;
  }
  return { ...schema, required: Object.keys(properties), additionalProperties: false };
}

/** Twilio's legacy error body; RFC 9457 bodies would make the SDK throw a different class. */
const LEGACY_ERROR_SCHEMA: Schema = {
  type: 'object',
  required: ['code', 'message', 'more_info', 'status'],
  additionalProperties: false,
  properties: {
    code: { type: 'integer', minimum: 10000 },
    message: { type: 'string', minLength: 1 },
    more_info: { type: 'string', format: 'uri', pattern: '^https://www\\.twilio\\.com/docs/errors/\\d+$' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
  },
};

interface MatchedOperation {
  operationId: string;
  method: string;
  template: string;
  pattern: RegExp;
  operation: OpenApiOperation;
}

export interface VerifyContract {
  /** The spec operation for a request, or undefined for a path/method the spec lacks. */
  match(method: string, pathname: string): MatchedOperation | undefined;
  /** A validator for an operation's documented success response; undefined if that status is not documented. */
  successValidator(operationId: string, status: number): ValidateFunction | undefined;
  errorValidator: ValidateFunction;
  /** Operation ids whose path template passes the filter. */
  operationIds(filter: (template: string) => boolean): string[];
}

function isOperation(value: unknown): value is OpenApiOperation {
  return typeof value === 'object' && value !== null && typeof (value as OpenApiOperation).operationId === 'string';
}

export function createVerifyContract(spec: OpenApiSpec = loadVerifySpec()): VerifyContract {
  return createContract(spec, patchComponent);
}

/** A contract for any Twilio API spec of this shape (Verify v2 here, Sync v1 in sync-spec.ts). */
export function createContract(spec: OpenApiSpec, patch: ComponentPatch): VerifyContract {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const operations: MatchedOperation[] = Object.entries(spec.paths).flatMap(([template, item]) =>
    Object.entries(item)
      .filter((entry): entry is [string, OpenApiOperation] => isOperation(entry[1]))
      .map(([method, operation]) => ({
        operationId: operation.operationId,
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        operation,
      })),
  );
  const validators = new Map<string, ValidateFunction | undefined>();

  return {
    // A literal path (/v2/Attempts/Summary) wins over a template that would also fit it (/v2/Attempts/{Sid}).
    match: (method, pathname) =>
      operations.find((entry) => entry.method === method.toUpperCase() && entry.template === pathname) ??
      operations.find((entry) => entry.method === method.toUpperCase() && entry.pattern.test(pathname)),
    successValidator(operationId, status) {
      const key = `${operationId} ${status}`;
      if (!validators.has(key)) {
        const operation = operations.find((entry) => entry.operationId === operationId)?.operation;
        const schema = operation?.responses[String(status)]?.content?.['application/json']?.schema;
        validators.set(key, schema ? ajv.compile(requireListShape(toJsonSchema(schema, spec, patch))) : undefined);
      }
      return validators.get(key);
    },
    errorValidator: ajv.compile(LEGACY_ERROR_SCHEMA),
    operationIds: (filter) => operations.filter((entry) => filter(entry.template)).map((entry) => entry.operationId),
  };
}

/** One recorded answer of an emulator, as a contract test judges it. */
export interface RecordedAnswer {
  method: string;
  pathname: string;
  status: number;
  body: string;
}

/** What is wrong with one answer, judged by the spec (Twilio's error shape for a 4xx/5xx); empty when it validates. */
export function problemsWith(
  contract: VerifyContract,
  exchange: RecordedAnswer,
): { operationId: string; problems: string[] } {
  const label = `${exchange.method} ${exchange.pathname} → ${exchange.status}`;
  const operationId = contract.match(exchange.method, exchange.pathname)?.operationId ?? 'unmatched';
  if (exchange.status >= 400) {
    let body: { code?: number; status?: number; more_info?: string };
    try {
      body = JSON.parse(exchange.body) as typeof body;
    } catch {
      return { operationId, problems: [`${label}: error body is not JSON`] };
    }
    const problems: string[] = [];
    if (!contract.errorValidator(body)) problems.push(`${label}: ${JSON.stringify(contract.errorValidator.errors)}`);
    if (body.status !== exchange.status) problems.push(`${label}: body status ${body.status} differs from HTTP status`);
    if (!body.more_info?.endsWith(`/${body.code}`))
      problems.push(`${label}: more_info does not name code ${body.code}`);
    return { operationId, problems };
  }
  if (operationId === 'unmatched') return { operationId, problems: [`${label}: no spec operation for a success`] };
  if (exchange.status === 204)
    return { operationId, problems: exchange.body === '' ? [] : [`${label}: 204 with a body`] };
  const validate = contract.successValidator(operationId, exchange.status);
  if (!validate) return { operationId, problems: [`${label}: status not documented for ${operationId}`] };
  const valid = validate(JSON.parse(exchange.body));
  return { operationId, problems: valid ? [] : [`${label}: ${JSON.stringify(validate.errors)}`] };
}
