import RestException from 'twilio/lib/base/RestException';
import { deriveKey } from '../../src/security/derived-keys';
import { sealVerificationHandle, type VerificationHandle } from '../../src/security/verification-handle';
import { isPhoneChannel } from '../../src/domain/channels';
import { normalizePhoneNumber } from '../../src/domain/phone';
import { createMemoryStore } from '../../src/state/memory-store';
import type { StateStore } from '../../src/state/state-store';

/** A Twilio error exactly as the SDK raises it, built from Verify's legacy error body. */
export function twilioError(status: number, code: number, message = 'Twilio error'): RestException {
  return new RestException({
    statusCode: status,
    body: JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }),
    headers: {},
  });
}

/** An Error like the ones the transport raises for timeouts and dropped connections. */
export function networkError(code: string): Error {
  return Object.assign(new Error(`network: ${code}`), { code });
}

type Call = Record<string, unknown>;
type Answer = (params: Call) => unknown;

export interface VerifyStub {
  /** What the functions passed to Verify, per operation. */
  calls: {
    verificationCreate: Call[];
    checkCreate: Call[];
    serviceCreate: Call[];
    serviceUpdate: Call[];
    serviceList: number;
    serviceSids: string[];
    rateLimitCreate: Call[];
    bucketCreate: Call[];
    verificationUpdate: Call[];
  };
  /** The last response's headers, where the real transport keeps Retry-After. */
  lastHeaders: Record<string, string>;
  onVerificationCreate: Answer;
  onCheckCreate: Answer;
  onVerificationFetch: Answer;
  onVerificationUpdate: Answer;
  /** The body of a GET through client.request (the Attempts API pages), by URI. Default: no attempts. */
  onRequest: (uri: string) => unknown;
  /** URIs asked through client.request. */
  requests: string[];
  services: Array<{ sid: string; friendlyName: string; codeLength: number }>;
  failServices?: unknown;
  /** What context.getTwilioClient() returns. */
  client: unknown;
  /** getTwilioClient's options, e.g. { timeout } or { httpClient }. */
  clientOptions: Array<Record<string, unknown> | undefined>;
  /** The Factors API (TOTP): Entities with their factors, and what was sent to it. */
  totp: TotpStub;
  /** The shared state the functions keep (the in-memory adapter), fresh per stub. */
  store: StateStore;
  /** The Sync Services /create-service found or made, with their Maps' unique names. */
  syncServices: Array<{ sid: string; friendlyName: string; maps: string[] }>;
}

export interface StubFactor {
  sid: string;
  identity: string;
  factorType: 'totp' | 'passkeys';
  status: 'unverified' | 'verified';
  friendlyName: string;
  dateCreated: Date;
}

interface TotpStub {
  factors: StubFactor[];
  /** The one code every factor accepts (the stub does no RFC 6238). */
  code: string;
  /** Each call as [operation, entity identity, params]. */
  calls: Array<[string, string, Call]>;
  /** Overrides a Challenge's answer (e.g. return twilioError(429, 60308)). */
  onChallengeCreate?: Answer;
}

const sid = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(32, '0')}`;

/** `send_code_attempts` as Verify lists them: `count` sends, the last one just now. */
export function attempts(count: number, channel = 'sms', lastAt = Date.now(), spacingSeconds = 60) {
  return Array.from({ length: count }, (_, i) => ({
    time: new Date(lastAt - (count - 1 - i) * spacingSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    channel,
    attempt_sid: sid('VL', i + 1),
  }));
}

/** A stub with the shape of `twilio` v6's Verify v2 surface the functions use. */
export function createVerifyStub(): VerifyStub {
  let counter = 0;
  const stub: VerifyStub = {
    calls: {
      verificationCreate: [],
      checkCreate: [],
      serviceCreate: [],
      serviceUpdate: [],
      serviceList: 0,
      serviceSids: [],
      rateLimitCreate: [],
      bucketCreate: [],
      verificationUpdate: [],
    },
    lastHeaders: {},
    clientOptions: [],
    services: [],
    store: createMemoryStore(),
    syncServices: [],
    onVerificationCreate: (p) => ({
      sid: sid('VE', 1),
      to: p.to,
      channel: p.channel,
      status: 'pending',
      dateCreated: new Date(),
      sendCodeAttempts: attempts(1, String(p.channel)),
    }),
    onCheckCreate: () => ({ sid: sid('VE', 1), status: 'approved', channel: 'sms' }),
    // By SID: a pending verification. By `To` (how start-verify looks for one): none pending.
    onVerificationFetch: (p) =>
      String(p.sid).startsWith('VE')
        ? {
            sid: p.sid,
            to: '+14155552671',
            channel: 'sms',
            status: 'pending',
            dateCreated: new Date(Date.now() - 3600_000),
            sendCodeAttempts: attempts(1, 'sms', Date.now() - 3600_000),
          }
        : twilioError(404, 20404),
    onVerificationUpdate: (p) => ({ sid: p.sid, status: p.status }),
    onRequest: () => ({ attempts: [], meta: { next_page_url: null } }),
    requests: [],
    client: undefined,
    totp: { factors: [], code: '246810', calls: [] },
  };
  const answer = async (fn: Answer, params: Call) => {
    const result = fn(params);
    if (result instanceof Error) throw result;
    return result;
  };
  const rateLimits: Array<{ sid: string; uniqueName: string; buckets: Array<{ max: number; interval: number }> }> = [];
  const rateLimitsApi = Object.assign(
    (rlSid: string) => {
      const rl = rateLimits.find((r) => r.sid === rlSid);
      if (!rl) throw new Error(`unknown rate limit ${rlSid}`);
      return {
        buckets: {
          list: async () => rl.buckets,
          create: async (p: Call) => {
            stub.calls.bucketCreate.push(p);
            const bucket = { max: Number(p.max), interval: Number(p.interval) };
            rl.buckets.push(bucket);
            return bucket;
          },
        },
      };
    },
    {
      list: async () => rateLimits,
      create: async (p: Call) => {
        stub.calls.rateLimitCreate.push(p);
        const rl = { sid: sid('RK', rateLimits.length + 1), uniqueName: String(p.uniqueName), buckets: [] };
        rateLimits.push(rl);
        return rl;
      },
    },
  );
  const services = Object.assign(
    (serviceSid: string) => {
      stub.calls.serviceSids.push(serviceSid);
      return {
        rateLimits: rateLimitsApi,
        verifications: Object.assign(
          (verificationSid: string) => ({
            fetch: () => answer(stub.onVerificationFetch, { sid: verificationSid }),
            update: (p: Call) => {
              stub.calls.verificationUpdate.push({ sid: verificationSid, ...p });
              return answer(stub.onVerificationUpdate, { sid: verificationSid, ...p });
            },
          }),
          { create: (p: Call) => (stub.calls.verificationCreate.push(p), answer(stub.onVerificationCreate, p)) },
        ),
        verificationChecks: { create: (p: Call) => (stub.calls.checkCreate.push(p), answer(stub.onCheckCreate, p)) },
        entities,
        update: async (p: Call) => (stub.calls.serviceUpdate.push({ sid: serviceSid, ...p }), { sid: serviceSid }),
        ...passkeys,
      };
    },
    {
      list: async () => {
        stub.calls.serviceList += 1;
        if (stub.failServices) throw stub.failServices;
        return stub.services;
      },
      create: async (p: Call) => {
        stub.calls.serviceCreate.push(p);
        if (stub.failServices) throw stub.failServices;
        const created = {
          sid: sid('VA', ++counter),
          friendlyName: String(p.friendlyName),
          codeLength: Number(p.codeLength ?? 6),
        };
        stub.services.push(created);
        return created;
      },
    },
  );
  const totp = stub.totp;
  const notFound = () => twilioError(404, 20404, 'The requested resource was not found');
  // Verify's Entities as twilio-node exposes them: an Entity exists once it has a factor.
  const entities = (identity: string) => {
    const own = () => totp.factors.filter((f) => f.identity === identity);
    const factorContext = (factorSid: string) => ({
      fetch: async () => {
        totp.calls.push(['factorFetch', identity, { factorSid }]);
        const factor = own().find((f) => f.sid === factorSid);
        if (!factor) throw notFound();
        return { ...factor };
      },
      update: async (p: Call) => {
        totp.calls.push(['factorUpdate', identity, { factorSid, ...p }]);
        const factor = own().find((f) => f.sid === factorSid);
        if (!factor) throw notFound();
        if (p.authPayload === totp.code) factor.status = 'verified';
        return { ...factor };
      },
      remove: async () => {
        totp.calls.push(['factorRemove', identity, { factorSid }]);
        const index = totp.factors.findIndex((f) => f.sid === factorSid && f.identity === identity);
        if (index < 0) throw notFound();
        totp.factors.splice(index, 1);
        return true;
      },
    });
    return {
      newFactors: {
        create: async (p: Call) => {
          totp.calls.push(['factorCreate', identity, p]);
          const secret = 'JBSWY3DPEHPK3PXP';
          const factor: StubFactor = {
            sid: sid('YF', ++counter),
            identity,
            factorType: 'totp',
            status: 'unverified',
            friendlyName: String(p.friendlyName),
            dateCreated: new Date(),
          };
          totp.factors.push(factor);
          const uri = `otpauth://totp/Stub:${encodeURIComponent(factor.friendlyName)}?secret=${secret}&issuer=Stub&algorithm=SHA1&digits=6&period=30`;
          return { ...factor, binding: { secret, uri } };
        },
      },
      factors: Object.assign(factorContext, {
        list: async () => {
          totp.calls.push(['factorList', identity, {}]);
          if (own().length === 0) throw notFound();
          return own().map((f) => ({ ...f }));
        },
      }),
      challenges: {
        create: (p: Call) => {
          totp.calls.push(['challengeCreate', identity, p]);
          if (totp.onChallengeCreate) return answer(totp.onChallengeCreate, p);
          const factor = own().find((f) => f.sid === p.factorSid);
          if (!factor) return Promise.reject(notFound());
          return Promise.resolve({
            sid: sid('YC', ++counter),
            factorSid: factor.sid,
            status: p.authPayload === totp.code && factor.status === 'verified' ? 'approved' : 'pending',
          });
        },
        list: async () => {
          totp.calls.push(['challengeList', identity, {}]);
          if (own().length === 0) throw notFound();
          return [];
        },
      },
    };
  };
  // Verify's Passkeys API as twilio-node 6 exposes it (JSON bodies in the wire's names). The
  // stub does no WebAuthn: any credential verifies the newest unverified passkey and approves a
  // challenge for the newest verified one (the emulator is where the bytes are checked).
  const passkeysOf = (status: StubFactor['status']) =>
    totp.factors.filter((f) => f.factorType === 'passkeys' && f.status === status).at(-1);
  const passkeys = {
    newFactors: {
      create: async (p: Call) => {
        totp.calls.push(['passkeyCreate', String(p.identity), p]);
        const factor: StubFactor = {
          sid: sid('YF', ++counter),
          identity: String(p.identity),
          factorType: 'passkeys',
          status: 'unverified',
          friendlyName: String(p.friendly_name),
          dateCreated: new Date(),
        };
        totp.factors.push(factor);
        return {
          ...factor,
          options: {
            publicKey: {
              challenge: 'c2h1Yg',
              rp: { id: 'localhost', name: 'Stub' },
              user: { id: 'dQ', name: factor.friendlyName, displayName: factor.friendlyName },
            },
          },
        };
      },
    },
    newVerifyFactors: {
      update: async (p: Call) => {
        const factor = passkeysOf('unverified');
        totp.calls.push(['passkeyVerify', factor?.identity ?? '', p]);
        if (!factor) throw twilioError(403, 60311, 'Factor verification failed');
        factor.status = 'verified';
        return { ...factor };
      },
    },
    newChallenge: () => ({
      create: async (p: Call) => (
        totp.calls.push(['passkeyChallenge', String(p.identity ?? ''), p]),
        {
          sid: sid('YC', ++counter),
          status: 'pending',
          options: { publicKey: { challenge: 'Y2g', rpId: 'localhost', allowCredentials: [] } },
        }
      ),
    }),
    approveChallenge: {
      update: async (p: Call) => {
        const factor = passkeysOf('verified');
        totp.calls.push(['passkeyApprove', factor?.identity ?? '', p]);
        if (!factor) throw twilioError(403, 60324, 'Challenge verification failed');
        return { sid: sid('YC', ++counter), status: 'approved', identity: factor.identity, factorSid: factor.sid };
      },
    },
  };
  // The account-level Attempts API (pages read through client.request: `onRequest`, and the summary).
  const request = async (options: { uri: string }) => {
    stub.requests.push(options.uri);
    const body = stub.onRequest(options.uri);
    if (body instanceof RestException)
      return {
        statusCode: body.status,
        body: { code: body.code, message: body.message, status: body.status },
        headers: {},
      };
    if (body instanceof Error) throw body;
    return { statusCode: 200, body, headers: {} };
  };
  const verificationAttemptsSummary = () => ({
    fetch: async () => ({ totalAttempts: 0, totalConverted: 0, totalUnconverted: 0, conversionRatePercentage: null }),
  });
  // Sync as /create-service uses it (find or create the service and its Map); the functions'
  // records go through `stub.store` (the in-memory adapter), not through this.
  const syncServices: Array<{ sid: string; friendlyName: string; maps: string[] }> = [];
  const findSync = (sid: string) => syncServices.find((service) => service.sid === sid);
  const syncService = Object.assign(
    (sid: string) => ({
      fetch: async () => findSync(sid) ?? Promise.reject(twilioError(404, 20404)),
      syncMaps: Object.assign(
        (name: string) => ({
          fetch: async () =>
            findSync(sid)?.maps.includes(name)
              ? { sid: 'MP' + '0'.repeat(32), uniqueName: name }
              : Promise.reject(twilioError(404, 20404)),
        }),
        {
          create: async ({ uniqueName }: { uniqueName: string }) => (
            findSync(sid)?.maps.push(uniqueName), { sid: 'MP' + '0'.repeat(32), uniqueName }
          ),
        },
      ),
    }),
    {
      list: async () => syncServices,
      create: async ({ friendlyName }: { friendlyName: string }) => {
        const service = { sid: sid('IS', syncServices.length + 1), friendlyName, maps: [] };
        syncServices.push(service);
        return service;
      },
    },
  );
  stub.syncServices = syncServices;
  stub.client = {
    request,
    verify: { v2: { services, verificationAttemptsSummary } },
    sync: { v1: { services: syncService } },
    httpClient: {
      get lastResponse() {
        return { headers: stub.lastHeaders };
      },
    },
  };
  return stub;
}

export const SERVICE_SID = `VA${'ab'.repeat(16)}`;
const TEST_SIGNING_SECRET = 'stub-signing-secret';

/** The facts /start-verify seals with a handle's phone number (`to` on a phone channel, else `phone`). */
export function withPhoneFacts(handle: VerificationHandle): VerificationHandle {
  const phone = isPhoneChannel(handle.channel) ? handle.to : handle.phone;
  if (phone === undefined || handle.phoneFacts !== undefined) return handle;
  const { country, type } = normalizePhoneNumber(phone);
  return { ...handle, phoneFacts: { ...(country !== undefined ? { country } : {}), type } };
}

/** A handle as /start-verify would have sealed it for the stub's service and secret. */
export function sealedHandle(fields: Partial<VerificationHandle> = {}, signingSecret = TEST_SIGNING_SECRET): string {
  return sealVerificationHandle(
    withPhoneFacts({
      verificationSid: sid('VE', 1),
      serviceSid: SERVICE_SID,
      to: '+14155552671',
      channel: 'sms',
      expiresAt: Date.now() + 600_000,
      attemptOffset: 0,
      // Verify sends at most 5 codes per verification: by default the handle knows them all.
      knownAttempts: 5,
      ...fields,
    }),
    deriveKey({ signingSecret }, 'verification-handle'),
  );
}

/** A runtime context whose getTwilioClient returns the stub. */
export function stubContext(stub: VerifyStub, env: Record<string, string | undefined> = {}): Record<string, unknown> {
  return {
    DOMAIN_NAME: 'localhost:3000',
    VERIFY_SERVICE_SID: SERVICE_SID,
    SIGNING_SECRET: TEST_SIGNING_SECRET,
    ...env,
    getTwilioClient: (options?: Record<string, unknown>) => {
      stub.clientOptions.push(options);
      return stub.client;
    },
    getStateStore: () => stub.store,
  };
}

/** An Attempts API page for `attempts(…)`-made sends: each SID with its channel and delivery status. */
export function attemptsPage(
  verificationSid: string,
  sends: Array<{ attempt_sid: string; channel: string }>,
  statuses: string[],
) {
  return {
    attempts: sends.map((send, i) => ({
      sid: send.attempt_sid,
      verification_sid: verificationSid,
      channel: send.channel.toUpperCase(),
      conversion_status: 'unconverted',
      channel_data: send.channel === 'call' ? { call_status: statuses[i] } : { message_status: statuses[i] },
    })),
    meta: { next_page_url: null },
  };
}
