// Contract: every /v2 response the emulator gives during a broad scenario (every operation,
// every error path) is validated against Twilio's own OpenAPI description of Verify v2,
// operation by operation and status by status, with ajv. See verify-spec.ts for the spec view.
import twilio from 'twilio';
import {
  EMULATOR_ACCOUNT_SID,
  EMULATOR_AUTH_TOKEN,
  EMULATOR_SERVICE_SID,
  TWILIO_ERRORS,
  createEmulator,
  createInProcessHttpClient,
  type EmulatorRequest,
  type RequestHandler,
} from '../../emulator';
import { driveTotpScenario } from './totp-scenario';
import { createVerifyContract, problemsWith } from './verify-spec';

interface Exchange {
  method: string;
  pathname: string;
  status: number;
  body: string;
}

const IN_SCOPE =
  /^\/v2\/Services(\/\{Sid\})?$|\/Verifications|\/VerificationCheck|\/RateLimits|\/Entities(?!.*\/Notifications)/;
const BASIC_AUTH = `Basic ${Buffer.from(`${EMULATOR_ACCOUNT_SID}:${EMULATOR_AUTH_TOKEN}`).toString('base64')}`;

const contract = createVerifyContract();
const exchanges: Exchange[] = [];
const emulator = createEmulator({ testNumbers: { '+15005550009': '123456' } });

/** Wraps the emulator: every /v2 answer is recorded for validation. */
const recording: RequestHandler = async (request) => {
  const response = await emulator.handle(request);
  const { pathname } = new URL(request.path, 'http://recorder.invalid');
  if (pathname.startsWith('/v2'))
    exchanges.push({ method: request.method.toUpperCase(), pathname, status: response.status, body: response.body });
  return response;
};
const client = twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, { httpClient: createInProcessHttpClient(recording) });
const rawV2 = (
  method: string,
  path: string,
  params: Record<string, string> = {},
  authorization: string | undefined = BASIC_AUTH,
) => {
  const request: EmulatorRequest = {
    method,
    path,
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  };
  return recording(request);
};
const injectFault = (spec: object) =>
  emulator.handle({
    method: 'POST',
    path: '/emulator/v1/faults',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  });
/** Runs a call expected to fail; the failure itself is what gets recorded and validated. */
const failing = (promise: Promise<unknown>) =>
  promise.then(
    () => Promise.reject(new Error('expected a failure')),
    () => undefined,
  );

async function driveScenario(): Promise<void> {
  const services = client.verify.v2.services;
  const seeded = services(EMULATOR_SERVICE_SID);
  const code = () => emulator.messages().at(-1)?.code ?? '';

  // Services: every operation, paging, and their errors.
  const shop = await services.create({
    friendlyName: 'Contract Shop',
    codeLength: 8,
    'totp.issuer': 'Shop',
    'push.includeDate': true,
  });
  const custom = await services.create({ friendlyName: 'Custom Codes', customCodeEnabled: true });
  await services.list({ pageSize: 1 });
  await services(shop.sid).fetch();
  await services(shop.sid).update({ friendlyName: 'Renamed Shop', doNotShareWarningEnabled: true });
  await failing(services.create({ friendlyName: 'Shop', codeLength: 3 }));
  await failing(services.create({ friendlyName: 'Call 12345' }));
  await rawV2('POST', '/v2/Services', {});
  await failing(services(`VA${'0'.repeat(32)}`).fetch());

  // Verifications on every channel, resend, fetch, cancel, approve, and their errors.
  for (const [to, channel] of [
    ['+15005550001', 'sms'],
    ['+15005550002', 'call'],
    ['+15005550003', 'whatsapp'],
    ['+15005550004', 'rcs'],
    ['person@example.com', 'email'],
  ] as const) {
    await seeded.verifications.create({ to, channel });
  }
  const resent = await seeded.verifications.create({ to: '+15005550001', channel: 'call', locale: 'fr' });
  await seeded.verifications(resent.sid).fetch();
  await seeded.verifications(resent.sid).update({ status: 'canceled' });
  await failing(seeded.verifications(resent.sid).fetch());
  await failing(seeded.verifications.create({ to: '15005550001', channel: 'sms' }));
  await failing(seeded.verifications.create({ to: '+15005550001', channel: 'voice' }));
  await failing(seeded.verifications.create({ to: '+15005550001', channel: 'sms', customCode: '1234' }));
  for (let send = 1; send <= 5; send += 1) await seeded.verifications.create({ to: '+15005550005', channel: 'sms' });
  await failing(seeded.verifications.create({ to: '+15005550005', channel: 'sms' }));
  const customVerification = await services(custom.sid).verifications.create({
    to: '+15005550006',
    channel: 'sms',
    customCode: '9876',
  });
  await services(custom.sid).verifications(customVerification.sid).update({ status: 'approved' });
  const plain = await seeded.verifications.create({ to: '+15005550007', channel: 'sms' });
  await failing(seeded.verifications(plain.sid).update({ status: 'approved' }));
  await failing(seeded.verifications(plain.sid).update({ status: 'pending' as never }));
  // Fidelity refusals: an invalid number, an unsupported locale, a custom friendly name and
  // email on a service without the feature / email integration; Lookup on gives carrier data.
  await failing(seeded.verifications.create({ to: '+12345', channel: 'sms' }));
  await failing(seeded.verifications.create({ to: '+15005550014', channel: 'sms', locale: 'xx' }));
  await failing(seeded.verifications.create({ to: '+15005550014', channel: 'sms', customFriendlyName: 'Acme' }));
  await failing(services(shop.sid).verifications.create({ to: 'person@example.com', channel: 'email' }));
  const lookedUp = await services.create({ friendlyName: 'Lookup On', lookupEnabled: true });
  await services(lookedUp.sid).verifications.create({ to: '+14155552671', channel: 'sms' });

  // Checks: right, wrong, exhausted, gone, malformed, targetless.
  await seeded.verifications.create({ to: '+15005550009', channel: 'sms' });
  await seeded.verificationChecks.create({ to: '+15005550009', code: '000000' });
  await seeded.verificationChecks.create({ to: '+15005550009', code: '123456' });
  await failing(seeded.verificationChecks.create({ to: '+15005550009', code: '123456' }));
  const exhausted = await seeded.verifications.create({ to: '+15005550008', channel: 'sms' });
  for (let attempt = 1; attempt <= 5; attempt += 1)
    await seeded.verificationChecks.create({ verificationSid: exhausted.sid, code: '0000' });
  await failing(seeded.verificationChecks.create({ verificationSid: exhausted.sid, code: '0000' }));
  await failing(seeded.verificationChecks.create({ code: '123456' }));
  await failing(seeded.verificationChecks.create({ to: '+15005550007', code: '12' }));
  const expiring = await seeded.verifications.create({ to: 'later@example.com', channel: 'email' });
  await seeded.verificationChecks.create({ to: 'later@example.com', code: code() });
  const gone = await seeded.verifications.create({ to: '+15005550010', channel: 'sms' });
  emulator.advanceClock(600);
  await failing(seeded.verifications(gone.sid).fetch());
  await failing(seeded.verificationChecks.create({ verificationSid: expiring.sid, code: '1234' }));

  // Rate limits and buckets: every operation, duplicates, bad names, metering.
  const rateLimit = await seeded.rateLimits.create({ uniqueName: 'end_user_ip', description: 'per IP' });
  const spare = await seeded.rateLimits.create({ uniqueName: 'spare' });
  await failing(seeded.rateLimits.create({ uniqueName: 'end_user_ip' }));
  await failing(seeded.rateLimits.create({ uniqueName: 'bad name!' }));
  await seeded.rateLimits.list();
  await seeded.rateLimits(rateLimit.sid).fetch();
  await seeded.rateLimits(rateLimit.sid).update({ description: 'per client IP' });
  const bucket = await seeded.rateLimits(rateLimit.sid).buckets.create({ max: 1, interval: 60 });
  const spareBucket = await seeded.rateLimits(spare.sid).buckets.create({ max: 3, interval: 10 });
  await seeded.rateLimits(rateLimit.sid).buckets.list();
  await seeded.rateLimits(rateLimit.sid).buckets(bucket.sid).fetch();
  await seeded.rateLimits(rateLimit.sid).buckets(bucket.sid).update({ interval: 120 });
  await failing(seeded.rateLimits(rateLimit.sid).buckets.create({ max: 0, interval: 60 }));
  await seeded.verifications.create({ to: '+15005550011', channel: 'sms', rateLimits: { end_user_ip: '10.0.0.1' } });
  await failing(
    seeded.verifications.create({ to: '+15005550012', channel: 'sms', rateLimits: { end_user_ip: '10.0.0.1' } }),
  );
  await failing(seeded.verifications.create({ to: '+15005550012', channel: 'sms', rateLimits: { unknown: 'x' } }));
  await seeded.rateLimits(spare.sid).buckets(spareBucket.sid).remove();
  await seeded.rateLimits(spare.sid).remove();
  await failing(seeded.rateLimits(spare.sid).fetch());

  // Authentication, unknown routes, methods, injected faults; then a service delete.
  await failing(
    twilio(EMULATOR_ACCOUNT_SID, 'f'.repeat(32), {
      httpClient: createInProcessHttpClient(recording),
    }).verify.v2.services.list(),
  );
  await rawV2('GET', '/v2/Services', {}, undefined);
  await rawV2('GET', '/v2/Nothing');
  await rawV2('DELETE', `/v2/Services/${EMULATOR_SERVICE_SID}/Verifications`);
  await injectFault({ match: { path: '/Verifications' }, status: 503 });
  await failing(seeded.verifications.create({ to: '+15005550013', channel: 'sms' }));
  await injectFault({ match: { method: 'GET' }, status: 500 });
  await failing(seeded.fetch());
  await driveTotpScenario(client, emulator, EMULATOR_SERVICE_SID);
  await services(shop.sid).remove();
}

beforeAll(async () => {
  await driveScenario();
});

test('every /v2 response validates against its operation and status in the Verify spec', () => {
  const problems = exchanges.flatMap((exchange) => problemsWith(contract, exchange).problems);
  expect(problems).toEqual([]);
  expect(exchanges.length).toBeGreaterThan(60);
});

test('every Verify operation the emulator implements answered successfully at least once', () => {
  const validated = new Map<string, number>();
  for (const exchange of exchanges) {
    if (exchange.status >= 400) continue;
    const { operationId, problems } = problemsWith(contract, exchange);
    if (problems.length === 0) validated.set(operationId, (validated.get(operationId) ?? 0) + 1);
  }
  const inScope = contract.operationIds((template) => IN_SCOPE.test(template));
  expect(inScope).toHaveLength(32);
  expect(inScope.filter((operationId) => (validated.get(operationId) ?? 0) === 0)).toEqual([]);
});

test('every error in the emulator’s table was produced and validated as Twilio’s legacy error body', () => {
  const codes = new Set(
    exchanges
      .filter((exchange) => exchange.status >= 400)
      .map((exchange) => (JSON.parse(exchange.body) as { code: number }).code),
  );
  const missing = Object.values(TWILIO_ERRORS)
    .map((error) => error.code)
    .filter((errorCode) => !codes.has(errorCode));
  expect(missing).toEqual([]);
});

describe('the validator has teeth', () => {
  const fetchVerification = (body: object) =>
    problemsWith(contract, {
      method: 'GET',
      pathname: `/v2/Services/${EMULATOR_SERVICE_SID}/Verifications/VE${'1'.repeat(32)}`,
      status: 200,
      body: JSON.stringify(body),
    }).problems;
  const good = () =>
    exchanges.find(
      (exchange) =>
        exchange.method === 'GET' && /\/Verifications\/VE/.test(exchange.pathname) && exchange.status === 200,
    );

  test.each([
    ['a missing url', (body: Record<string, unknown>) => ({ ...body, url: undefined })],
    ['an extra property', (body: Record<string, unknown>) => ({ ...body, code: '123456' })],
    [
      'a date with milliseconds',
      (body: Record<string, unknown>) => ({ ...body, date_created: '2030-01-01T00:00:00.000Z' }),
    ],
    ['an unknown status', (body: Record<string, unknown>) => ({ ...body, status: 'verified' })],
    ['an unknown channel', (body: Record<string, unknown>) => ({ ...body, channel: 'voice' })],
    ['a malformed SID', (body: Record<string, unknown>) => ({ ...body, sid: 'VE123' })],
  ])('rejects a verification with %s', (_case, spoil) => {
    expect(good()).toBeDefined();
    const body = JSON.parse(good()?.body ?? '{}') as Record<string, unknown>;
    expect(fetchVerification(body)).toEqual([]);
    expect(fetchVerification(spoil(body)).length).toBeGreaterThan(0);
  });

  test('rejects an RFC 9457 error body and one whose status disagrees with HTTP', () => {
    const error = (status: number, body: object) =>
      problemsWith(contract, { method: 'GET', pathname: '/v2/Services', status, body: JSON.stringify(body) }).problems;
    expect(
      error(404, { type: 'https://www.twilio.com/docs/errors/20404', title: 'Not Found', status: 404 }).length,
    ).toBeGreaterThan(0);
    expect(
      error(400, { code: 60200, message: 'x', more_info: 'https://www.twilio.com/docs/errors/60200', status: 404 })
        .length,
    ).toBeGreaterThan(0);
  });
});
