import { readConfig } from '../src/config';
import { deriveKey } from '../src/security/derived-keys';
import { sealEnrolmentHandle } from '../src/security/enrolment-handle';
import { sealVerificationHandle } from '../src/security/verification-handle';
import { proofTokenIssuer } from '../src/tokens/proof-token';
import { recoveryCodeHash } from '../src/security/recovery-codes';
import { totpEntityIdentity } from '../src/security/totp-entity';
import { subjectId } from '../src/tokens/subject';

/**
 * What every handler benchmark feeds a function: the request per route, the runtime context,
 * a Verify client stub that answers at once, and the no-op baseline function.
 *
 * The stub and the no-op are kept as plain JavaScript source so the cold-load child (a fresh
 * `node` with nothing but that file) and the in-process warm benchmark run the very same code.
 */

import { generateSigningKey } from '../scripts/keygen.cjs';

const SERVICE_SID = `VA${'ab'.repeat(16)}`;
const SYNC_SERVICE_SID = `IS${'ab'.repeat(16)}`;
const VERIFICATION_SID = `VE${'0123456789abcdef'.repeat(2)}`;
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const SIGNING_SECRET = 'bench-signing-secret';
const FACTOR_SID = `YF${'0123456789abcdef'.repeat(2)}`;
/** The passkey that /passkey-remove removes: the stub tells factor types apart by SID. */
const PASSKEY_SID = `YF${'fedcba9876543210'.repeat(2)}`;

/** The bench destination's subject and Verify Entity, as the functions derive them with SIGNING_SECRET. */
const SUBJECT = subjectId('+14155552671', { signingSecret: SIGNING_SECRET });
const ENTITY = totpEntityIdentity({ signingSecret: SIGNING_SECRET }, SUBJECT);
/** The recovery code the bench's stored set holds (its keyed hash below). */
const RECOVERY_CODE = '7K2MQ-9XR4T';
const RECOVERY_SET = {
  set: 'bench',
  hashes: [recoveryCodeHash({ signingSecret: SIGNING_SECRET }, SUBJECT, '7K2MQ9XR4T')],
  used: [],
  createdAt: 0,
};
/** A credential as a browser sends it: the stub checks no WebAuthn bytes (the emulator does). */
const REGISTRATION_CHALLENGE = 'cmVn';
const ATTESTATION = JSON.stringify({
  id: 'Y3JlZA',
  rawId: 'Y3JlZA',
  type: 'public-key',
  response: {
    attestationObject: 'o2NmbXRkbm9uZQ',
    // The registration challenge the handle seals.
    clientDataJSON: Buffer.from(
      JSON.stringify({ type: 'webauthn.create', challenge: REGISTRATION_CHALLENGE }),
    ).toString('base64url'),
    transports: ['internal'],
  },
});
const ASSERTION = JSON.stringify({
  id: 'Y3JlZA',
  rawId: 'Y3JlZA',
  type: 'public-key',
  authenticatorAttachment: 'platform',
  response: {
    authenticatorData: 'SZYN5YgO',
    // Names a challenge: /passkey-check claims it in the store before asking Verify.
    clientDataJSON: 'eyJ0eXBlIjoid2ViYXV0aG4uZ2V0IiwiY2hhbGxlbmdlIjoiWTJoaGJHeGxibWRsIn0',
    signature: 'MEUCIQ',
    userHandle: 'WUU',
  },
});

/** A Twilio.Response stand-in and a Verify v2 client stub; every answer is a resolved promise. */
export const RUNTIME_STUB_SOURCE = String.raw`
class BenchResponse {
  constructor() { this.statusCode = 200; this.body = undefined; this.headers = {}; }
  setStatusCode(code) { this.statusCode = code; return this; }
  setBody(body) { this.body = body; return this; }
  appendHeader(key, value) { this.headers[key] = value; return this; }
  setHeaders(headers) { this.headers = Object.assign({}, headers); return this; }
  setCookie() { return this; }
  removeCookie() { return this; }
}

function makeVerifyStub() {
  const VE = ${JSON.stringify(VERIFICATION_SID)};
  const YF = ${JSON.stringify(FACTOR_SID)};
  const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const attempts = (ms) => [{ time: iso(ms), channel: 'sms', attempt_sid: 'VL' + '0'.repeat(32) }];
  const justSent = attempts(Date.now());
  const anHourAgo = attempts(Date.now() - 3600 * 1000);
  const rateLimits = Object.assign(
    (sid) => ({ buckets: { list: async () => [], create: async (p) => ({ max: Number(p.max), interval: Number(p.interval) }) } }),
    { list: async () => [], create: async (p) => ({ sid: 'RK' + '0'.repeat(32), uniqueName: String(p.uniqueName) }) },
  );
  // The SDK builds this error, not our code: made once, so its stack capture is not timed as ours.
  const notFound = Object.assign(new Error('not found'), { status: 404, code: 20404 });
  const ENTITY = ${JSON.stringify(ENTITY)};
  const creationOptions = { rp: { id: 'localhost', name: 'Bench App' }, user: { id: 'WUU', name: 'Bench', displayName: 'Bench' }, challenge: 'A'.repeat(43), pubKeyCredParams: [{ type: 'public-key', alg: -7 }], timeout: 600000, excludeCredentials: [], authenticatorSelection: { requireResidentKey: false, residentKey: 'preferred', userVerification: 'required' }, attestation: 'none' };
  const requestOptions = { challenge: 'A'.repeat(43), timeout: 600000, rpId: 'localhost', allowCredentials: [{ id: 'Y3JlZA', type: 'public-key', transports: ['internal'] }], userVerification: 'required' };
  const service = {
    rateLimits,
    update: async (p) => ({ sid: ${JSON.stringify(SERVICE_SID)} }),
    // The Passkeys API (JSON bodies): a new factor with creation options, any attestation verifies
    // it, a challenge with request options, any assertion approves it for the bench's Entity.
    newFactors: { create: async (p) => ({ sid: YF, identity: p.identity, status: 'unverified', friendlyName: p.friendly_name, options: { publicKey: creationOptions } }) },
    newVerifyFactors: { update: async () => ({ sid: YF, identity: ENTITY, status: 'verified', factorType: 'passkeys' }) },
    newChallenge: () => ({ create: async () => ({ sid: 'YC' + '0'.repeat(32), status: 'pending', options: { publicKey: requestOptions } }) }),
    approveChallenge: { update: async () => ({ sid: 'YC' + '0'.repeat(32), status: 'approved', identity: ENTITY, factorSid: YF }) },
    verifications: Object.assign(
      (sid) => ({
        // By SID: pending. By number (start-verify looks for one first): none, as Verify answers 20404.
        fetch: async () => {
          if (!sid.startsWith('VE')) throw notFound;
          return { sid, to: '+14155552671', channel: 'sms', status: 'pending', sendCodeAttempts: anHourAgo };
        },
        update: async (p) => ({ sid, status: p.status }),
      }),
      { create: async (p) => ({ sid: VE, to: p.to, channel: p.channel, status: 'pending', sendCodeAttempts: justSent }) },
    ),
    verificationChecks: { create: async () => ({ sid: VE, to: '+14155552671', status: 'approved', channel: 'sms' }) },
    // The Factors API (TOTP): one verified factor per Entity; a new one has a real-length otpauth URI.
    entities: () => ({
      newFactors: {
        create: async (p) => ({
          sid: YF, status: 'unverified', friendlyName: p.friendlyName,
          binding: { secret: SECRET, uri: 'otpauth://totp/Bench%20App:' + encodeURIComponent(p.friendlyName) + '?secret=' + SECRET + '&issuer=Bench%20App&algorithm=SHA1&digits=6&period=30' },
        }),
      },
      factors: Object.assign(
        (sid) => ({ fetch: async () => ({ sid, status: 'unverified', factorType: sid === ${JSON.stringify(PASSKEY_SID)} ? 'passkeys' : 'totp' }), update: async () => ({ sid, status: 'verified' }), remove: async () => true }),
        { list: async () => [{ sid: YF, factorType: 'totp', status: 'verified', friendlyName: 'Bench', dateCreated: new Date(0) }] },
      ),
      challenges: { create: async (p) => ({ sid: 'YC' + '0'.repeat(32), factorSid: p.factorSid, status: 'approved' }), list: async () => [] },
    }),
  };
  const services = Object.assign(() => service, {
    list: async () => [],
    create: async (p) => ({ sid: ${JSON.stringify(SERVICE_SID)}, friendlyName: String(p.friendlyName), codeLength: Number(p.codeLength || 6) }),
  });
  // The account-level Attempts API: the page /verification-status reads (wire JSON through
  // client.request) and the summary /verification-report cross-checks.
  const request = async () => ({ statusCode: 200, headers: {}, body: { attempts: [{ sid: 'VL' + '0'.repeat(32), verification_sid: VE, channel: 'sms', channel_data: { message_status: 'delivered' } }], meta: { next_page_url: null } } });
  const verificationAttemptsSummary = () => ({ fetch: async () => ({ totalAttempts: 1, totalConverted: 0, totalUnconverted: 1, conversionRatePercentage: '0' }) });
  // Sync as on each route's common path: nothing stored yet for this destination, code or token,
  // so a read finds nothing and a create succeeds (one round trip, answered at once).
  const item = (p) => ({ key: p.key, data: p.data, revision: '0', dateExpires: null });
  // A recovery-code set exists for the bench's destination (recovery-check's common path is a right code).
  const RECOVERY_SET = ${JSON.stringify(RECOVERY_SET)};
  const syncMapItems = Object.assign(
    (key) => ({ fetch: async () => { if (key.startsWith('recovery.')) return item({ key, data: RECOVERY_SET }); throw notFound; }, update: async (p) => item({ key, data: p.data }), remove: async () => true }),
    { create: async (p) => item(p) },
  );
  const syncMaps = Object.assign((name) => ({ syncMapItems, fetch: async () => ({ sid: 'MP' + '0'.repeat(32), uniqueName: name }) }), { create: async (p) => ({ sid: 'MP' + '0'.repeat(32), uniqueName: p.uniqueName }) });
  const sync = { v1: { services: Object.assign(() => ({ syncMaps, fetch: async () => ({ sid: ${JSON.stringify(SYNC_SERVICE_SID)} }) }), { list: async () => [], create: async () => ({ sid: ${JSON.stringify(SYNC_SERVICE_SID)} }) }) } };
  return { request, verify: { v2: { services, verificationAttemptsSummary } }, sync, httpClient: { lastResponse: { statusCode: 200, body: '', headers: {} } } };
}
`;

/** The no-op baseline: answers like our functions do (JSON body, two headers), with no work. */
export const NOOP_FUNCTION_SOURCE = `exports.handler = function (context, event, callback) {
  const response = new Twilio.Response();
  response.setStatusCode(200);
  response.appendHeader('Content-Type', 'application/json');
  response.appendHeader('Cache-Control', 'no-store');
  response.setBody({ ok: true });
  callback(null, response);
};
`;

/** Environment the runtime passes in `context` (besides getTwilioClient). */
export const CONTEXT_ENV: Record<string, string> = {
  DOMAIN_NAME: 'localhost:3000',
  VERIFY_SERVICE_SID: SERVICE_SID,
  SYNC_SERVICE_SID,
  ADMIN_TOKEN,
  SIGNING_SECRET,
};

/** CONTEXT_ENV plus a proof-token key made for this run: check-verify then signs a token. */
export const SIGNING_ENV: Record<string, string> = {
  ...CONTEXT_ENV,
  // The hosted runtime always has it; here it keys the token's `sub`.
  AUTH_TOKEN: 'bench-auth-token-0123456789abcdef',
  TOKEN_SIGNING_KEY: generateSigningKey(),
  TOKEN_AUDIENCE: 'https://backend.example.com',
};

export interface BenchRequest {
  params: Record<string, unknown>;
  headers: Record<string, string>;
  /** The status a correct answer has. */
  expect: number;
}

const json = { 'content-type': 'application/json' };

/** One successful request per route; unknown routes get an empty JSON POST. */
const REQUESTS: Record<string, BenchRequest> = {
  'start-verify': { params: { to: '+14155552671' }, headers: json, expect: 200 },
  'create-service': {
    params: { friendlyName: 'Bench App' },
    headers: { ...json, authorization: `Bearer ${ADMIN_TOKEN}` },
    expect: 201,
  },
  'verification-report': {
    params: { window: '24h' },
    headers: { ...json, authorization: `Bearer ${ADMIN_TOKEN}` },
    expect: 200,
  },
  // A GET: no body, no Content-Type.
  jwks: { params: {}, headers: {}, expect: 200 },
  // The TOTP routes (run with SIGNING_ENV); Bearer tokens are added by prepareRequests().
  'totp-check': { params: { to: '+14155552671', code: '123456' }, headers: json, expect: 200 },
  // The passkey and recovery-code routes (SIGNING_ENV); the Bearer ones are added by prepareRequests().
  'passkey-confirm': {
    params: {
      credential: ATTESTATION,
      handle: sealEnrolmentHandle(
        { signingSecret: SIGNING_SECRET },
        {
          factorSid: FACTOR_SID,
          entity: ENTITY,
          subject: SUBJECT,
          destination: '+14155552671',
          expiresAt: Date.now() + 6 * 3600_000,
          challenge: REGISTRATION_CHALLENGE,
        },
      ),
    },
    headers: json,
    expect: 200,
  },
  'passkey-challenge': { params: { to: '+14155552671' }, headers: json, expect: 200 },
  'passkey-check': { params: { to: '+14155552671', credential: ASSERTION }, headers: json, expect: 200 },
  'recovery-check': { params: { to: '+14155552671', code: RECOVERY_CODE }, headers: json, expect: 200 },
  noop: { params: {}, headers: json, expect: 200 },
};

/** Routes that only work with a proof-token key: measured with SIGNING_ENV. */
const TOKEN_ROUTES = [
  'totp-enroll',
  'totp-confirm',
  'totp-check',
  'totp-factors',
  'totp-remove',
  'passkey-register',
  'passkey-confirm',
  'passkey-challenge',
  'passkey-check',
  'passkey-factors',
  'passkey-remove',
  'recovery-codes',
  'recovery-check',
];

/** The routes issue 23 added (passkeys, recovery codes): measured warm too, against the same no-op. */
export const PASSKEY_AND_RECOVERY_ROUTES = [
  'passkey-register',
  'passkey-confirm',
  'passkey-challenge',
  'passkey-check',
  'recovery-codes',
  'recovery-check',
];

/** The environment a route is measured with by default. */
export const envFor = (route: string): Record<string, string> =>
  TOKEN_ROUTES.includes(route) ? SIGNING_ENV : CONTEXT_ENV;

/**
 * Adds what needs an await: the sealed handles (valid for the whole run) and the proof token the
 * Bearer routes take (signed with SIGNING_ENV's key, for the issuer a request without a Host header gets).
 */
export async function prepareRequests(): Promise<void> {
  if (REQUESTS['totp-enroll']) return;
  const handle = sealVerificationHandle(
    {
      verificationSid: VERIFICATION_SID,
      serviceSid: SERVICE_SID,
      to: '+14155552671',
      channel: 'sms',
      phone: '+14155552671',
      phoneFacts: { country: 'US', type: 'FIXED_LINE_OR_MOBILE' },
      expiresAt: Date.now() + 6 * 3600_000,
      attemptOffset: 0,
      knownAttempts: 1,
    },
    deriveKey({ signingSecret: SIGNING_SECRET }, 'verification-handle'),
  );
  REQUESTS['check-verify'] = { params: { code: '123456', verification: handle }, headers: json, expect: 200 };
  for (const route of ['resend-verify', 'cancel-verify', 'verification-status'])
    REQUESTS[route] = { params: { verification: handle }, headers: json, expect: 200 };
  const enrolment = sealEnrolmentHandle(
    { signingSecret: SIGNING_SECRET },
    {
      factorSid: FACTOR_SID,
      entity: 'e'.repeat(64),
      subject: 'bench-subject',
      destination: '+14155552671',
      expiresAt: Date.now() + 6 * 3600_000,
    },
  );
  REQUESTS['totp-confirm'] = { params: { code: '123456', handle: enrolment }, headers: json, expect: 200 };
  const token = await (await proofTokenIssuer(readConfig(SIGNING_ENV), { request: { headers: {} } }))?.issue({
    to: '+14155552671',
    channel: 'sms',
  });
  const bearer = { ...json, authorization: `Bearer ${token}` };
  REQUESTS['totp-enroll'] = { params: {}, headers: bearer, expect: 200 };
  REQUESTS['totp-factors'] = { params: {}, headers: bearer, expect: 200 };
  REQUESTS['totp-remove'] = { params: { factorSid: FACTOR_SID }, headers: bearer, expect: 200 };
  REQUESTS['passkey-register'] = { params: {}, headers: bearer, expect: 200 };
  REQUESTS['passkey-factors'] = { params: {}, headers: bearer, expect: 200 };
  REQUESTS['passkey-remove'] = { params: { factorSid: PASSKEY_SID }, headers: bearer, expect: 200 };
  REQUESTS['recovery-codes'] = { params: {}, headers: bearer, expect: 200 };
}

export function requestFor(route: string): BenchRequest {
  return REQUESTS[route] ?? { params: {}, headers: json, expect: 200 };
}

/** The runtime's `event`: parameters plus request metadata. */
export function eventFor(route: string): Record<string, unknown> {
  const { params, headers } = requestFor(route);
  return { ...params, request: { headers, cookies: {} } };
}
