// Preloaded (node -r) into `twilio-run deploy` by the deploy rehearsal: nock answers Twilio's
// Serverless API (serverless.twilio.com and serverless-upload.twilio.com) from memory, with
// every other connection refused, and records what the deploy would create. The record is
// written to $REHEARSAL_RECORD when the process exits.
import { writeFileSync } from 'node:fs';
import nock from 'nock';

export interface RecordedUpload {
  kind: 'function' | 'asset';
  sid: string;
  friendlyName: string;
  path: string;
  visibility: string;
  /** Base64 of the uploaded bytes. */
  content: string;
}

export interface DeployRecord {
  service?: Record<string, string>;
  environment?: Record<string, string>;
  uploads: RecordedUpload[];
  build?: {
    runtime?: string;
    dependencies: Array<{ name: string; version: string }>;
    functionVersions: string[];
    assetVersions: string[];
  };
  variables: Array<{ key: string; value: string }>;
  deployment?: { buildSid?: string };
  /** Anything the fake did not expect: a rehearsal with entries here fails. */
  unexpected: string[];
}

const record: DeployRecord = { uploads: [], variables: [], unexpected: [] };
const recordPath = process.env['REHEARSAL_RECORD'];
if (recordPath) process.on('exit', () => writeFileSync(recordPath, JSON.stringify(record, null, 2)));

let counter = 0;
const sid = (prefix: string) => `${prefix}${(++counter).toString(16).padStart(32, '0')}`;
const API = 'https://serverless.twilio.com';
const UPLOAD = 'https://serverless-upload.twilio.com';
const DOMAIN = 'verify-functions-1234.twil.io';

/** A form body (urlencoded) as name → values; repeated names (FunctionVersions) keep every value. */
function formOf(body: unknown): Map<string, string[]> {
  const form = new Map<string, string[]>();
  const text = typeof body === 'string' ? body : '';
  for (const [name, value] of new URLSearchParams(text)) form.set(name, [...(form.get(name) ?? []), value]);
  return form;
}
const first = (form: Map<string, string[]>, name: string) => form.get(name)?.[0] ?? '';

/** nock hands text bodies over as strings and binary ones as hex. */
function bodyBytes(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  return /^[0-9a-f]+$/i.test(text) && text.length % 2 === 0 && !text.startsWith('--')
    ? Buffer.from(text, 'hex')
    : Buffer.from(text, 'utf8');
}

/** The parts of a multipart/form-data body: name → bytes. */
function multipartParts(body: Buffer, contentType: string): Map<string, Buffer> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const marker = Buffer.from(`--${boundary?.[1] ?? boundary?.[2] ?? ''}`);
  const parts = new Map<string, Buffer>();
  let start = body.indexOf(marker);
  while (start !== -1) {
    const next = body.indexOf(marker, start + marker.length);
    if (next === -1) break;
    const part = body.subarray(start + marker.length + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('latin1');
    const name = /name="([^"]+)"/.exec(headers)?.[1];
    if (name) parts.set(name, part.subarray(headerEnd + 4));
    start = next;
  }
  return parts;
}

const list = (key: string) => ({ [key]: [], meta: { key, next_page_url: null } });
const resources = new Map<string, { kind: 'function' | 'asset'; friendlyName: string }>();

nock.disableNetConnect();

nock(API)
  .persist()
  .post('/v1/Services')
  .reply(201, (_uri: string, body: nock.Body) => {
    const form = formOf(body);
    record.service = {
      uniqueName: first(form, 'UniqueName'),
      uiEditable: first(form, 'UiEditable'),
      includeCredentials: first(form, 'IncludeCredentials'),
    };
    return { sid: sid('ZS'), unique_name: first(form, 'UniqueName') };
  })
  .get(/^\/v1\/Services\/ZS\w+\/Environments(\?.*)?$/)
  .reply(200, list('environments'))
  .post(/^\/v1\/Services\/ZS\w+\/Environments$/)
  .reply(201, (_uri: string, body: nock.Body) => {
    const form = formOf(body);
    record.environment = { uniqueName: first(form, 'UniqueName'), domainSuffix: first(form, 'DomainSuffix') };
    return { sid: sid('ZE'), unique_name: first(form, 'UniqueName'), domain_name: DOMAIN };
  })
  .get(/^\/v1\/Services\/ZS\w+\/(Functions|Assets)(\?.*)?$/)
  .reply(200, (uri: string) => list(uri.includes('/Functions') ? 'functions' : 'assets'))
  .post(/^\/v1\/Services\/ZS\w+\/(Functions|Assets)$/)
  .reply(201, (uri: string, body: nock.Body) => {
    const kind = uri.endsWith('/Functions') ? 'function' : 'asset';
    const resourceSid = sid('ZH');
    resources.set(resourceSid, { kind, friendlyName: first(formOf(body), 'FriendlyName') });
    return { sid: resourceSid, friendly_name: first(formOf(body), 'FriendlyName') };
  })
  .post(/^\/v1\/Services\/ZS\w+\/Builds$/)
  .reply(201, (_uri: string, body: nock.Body) => {
    const form = formOf(body);
    // serverless-api sends Dependencies as a JSON array wrapped in one more pair of quotes.
    const dependencies = JSON.parse(first(form, 'Dependencies').replace(/^"|"$/g, '') || '[]') as Array<{
      name: string;
      version: string;
    }>;
    record.build = {
      runtime: form.get('Runtime')?.[0],
      dependencies,
      functionVersions: form.get('FunctionVersions') ?? [],
      assetVersions: form.get('AssetVersions') ?? [],
    };
    return { sid: sid('ZB'), status: 'building', runtime: record.build.runtime ?? null };
  })
  .get(/^\/v1\/Services\/ZS\w+\/Builds\/ZB\w+\/Status$/)
  .reply(200, { status: 'completed' })
  .get(/^\/v1\/Services\/ZS\w+\/Environments\/ZE\w+\/Variables(\?.*)?$/)
  .reply(200, list('variables'))
  .post(/^\/v1\/Services\/ZS\w+\/Environments\/ZE\w+\/Variables$/)
  .reply(201, (_uri: string, body: nock.Body) => {
    const form = formOf(body);
    record.variables.push({ key: first(form, 'Key'), value: first(form, 'Value') });
    return { sid: sid('ZV'), key: first(form, 'Key') };
  })
  .post(/^\/v1\/Services\/ZS\w+\/Environments\/ZE\w+\/Deployments$/)
  .reply(201, (_uri: string, body: nock.Body) => {
    record.deployment = { buildSid: first(formOf(body), 'BuildSid') };
    return { sid: sid('ZD') };
  });

nock(UPLOAD)
  .persist()
  .post(/^\/v1\/Services\/ZS\w+\/(Functions|Assets)\/ZH\w+\/Versions$/)
  .reply(201, function upload(this: nock.ReplyFnContext, uri: string, body: nock.Body) {
    const resourceSid = /\/(ZH\w+)\//.exec(uri)?.[1] ?? '';
    const resource = resources.get(resourceSid);
    const parts = multipartParts(bodyBytes(body), String(this.req.headers['content-type'] ?? ''));
    const versionSid = sid('ZN');
    record.uploads.push({
      kind: resource?.kind ?? 'function',
      sid: versionSid,
      friendlyName: resource?.friendlyName ?? '',
      path: parts.get('Path')?.toString('utf8') ?? '',
      visibility: parts.get('Visibility')?.toString('utf8') ?? '',
      content: (parts.get('Content') ?? Buffer.alloc(0)).toString('base64'),
    });
    return JSON.stringify({ sid: versionSid });
  });

// Anything else (another host, an endpoint the fake does not model) fails the deploy, and is noted.
nock.emitter.on(
  'no match',
  (request: { method?: string; path?: string; host?: string; options?: { host?: string; path?: string } }) => {
    record.unexpected.push(
      `${request.method ?? ''} ${request.options?.host ?? request.host ?? ''}${request.options?.path ?? request.path ?? ''}`,
    );
  },
);
