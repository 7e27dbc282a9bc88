/**
 * Twilio's own OpenAPI description of Sync v1 (twilio_sync_v1.json, shipped by the
 * `@twilio-alpha/mcp` devDependency), checked the way verify-spec.ts checks Verify's: the file
 * is never edited, the patches below derive a stricter view in code, each with its reason.
 */
import { readFileSync } from 'node:fs';
import {
  createContract,
  requireEveryProperty,
  type OpenApiSpec,
  type Schema,
  type VerifyContract,
} from './verify-spec';

const SYNC_SPEC_PATH = require.resolve('@twilio-alpha/mcp/twilio-oai/spec/json/twilio_sync_v1.json');

function loadSyncSpec(): OpenApiSpec {
  return JSON.parse(readFileSync(SYNC_SPEC_PATH, 'utf8')) as OpenApiSpec;
}

function patchSyncComponent(name: string, schema: Schema): Schema {
  const patched = structuredClone(schema);
  if (!name.startsWith('sync.v1.')) return patched;
  requireEveryProperty(patched);
  const properties = patched['properties'];
  // Objects made through the REST API are created by "system" (the Maps and Map Item pages);
  // the spec only says string.
  if (
    typeof properties === 'object' &&
    properties !== null &&
    !Array.isArray(properties) &&
    'created_by' in properties
  ) {
    properties['created_by'] = { type: 'string', enum: ['system'] };
  }
  return patched;
}

export function createSyncContract(spec: OpenApiSpec = loadSyncSpec()): VerifyContract {
  return createContract(spec, patchSyncComponent);
}
