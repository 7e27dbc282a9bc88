// The TOTP flows against the emulator through the real twilio SDK: enrol, confirm with a code
// from otplib (not the emulator's implementation), sign in, limits, list and remove.
import { generate } from 'otplib';
import twilio from 'twilio';
import { createEmulator, EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_SERVICE_SID } from '../../emulator';
import { readConfig } from '../../src/config';
import { AppError } from '../../src/domain/app-error';
import { checkTotp } from '../../src/flows/totp-check';
import { confirmTotp } from '../../src/flows/totp-confirm';
import { enrollTotp } from '../../src/flows/totp-enroll';
import { listFactorsOfKind, removeFactorOfKind } from '../../src/flows/entity-factors';
import { totpEntityIdentity } from '../../src/security/totp-entity';
import { createMemoryStore } from '../../src/state/memory-store';
import type { VerifyConnection } from '../../src/verify/verify-client';
import { SEALED_TOKEN_PATTERN } from '../../src/security/sealed-token';
import { flowContext } from '../support/flow-context';

const MID_STEP_MS = 1_800_000_015_000;
const config = readConfig({
  SIGNING_SECRET: 'integration-secret',
  TOTP_ISSUER: 'Acme Shop',
  VERIFY_SERVICE_SID: EMULATOR_SERVICE_SID,
});
const who = { subject: 'sub-5f1c2d', destination: '+14155550199', maskedDestination: '+1******0199' };

function setup() {
  let base = MID_STEP_MS;
  const emulator = createEmulator({ now: () => base });
  const connection: VerifyConnection = {
    client: twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, { httpClient: emulator.httpClient }),
    lastRetryAfter: () => undefined,
    lastHeader: () => undefined,
    serverNow: () => emulator.now(),
  };
  const store = createMemoryStore(() => emulator.now());
  return { emulator, connection, store, advance: (seconds: number) => (base += seconds * 1000) };
}

const codeAt = (secret: string, ms: number) => generate({ secret, epoch: Math.floor(ms / 1000) });
async function wrongCode(secret: string, ms: number) {
  const valid = await Promise.all([-30_000, 0, 30_000].map((offset) => codeAt(secret, ms + offset)));
  return ['000000', '111111', '222222', '333333'].find((code) => !valid.includes(code)) as string;
}
async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function enrolled(s: ReturnType<typeof setup>) {
  const enrolment = await enrollTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID), who);
  const confirmed = await confirmTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID, s.store), {
    handle: enrolment.handle,
    code: await codeAt(enrolment.secret, s.emulator.now()),
  });
  return { enrolment, confirmed };
}

test('enrol: a factor for the keyed-hash entity, the label and masked destination in the app, a QR SVG', async () => {
  const s = setup();
  const enrolment = await enrollTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID), who);
  expect(enrolment.secret).toMatch(/^[A-Z2-7]+$/);
  expect(enrolment.uri).toContain(`secret=${enrolment.secret}`);
  expect(decodeURIComponent(enrolment.uri)).toContain(':Acme Shop +1******0199?');
  expect(enrolment.qrSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(enrolment.qrSvg).toContain('<path');
  expect(enrolment.handle).toMatch(SEALED_TOKEN_PATTERN);
  expect(enrolment.handle).not.toContain(enrolment.factorSid);
  const [factor] = s.emulator.totpFactors();
  expect(factor).toMatchObject({
    sid: enrolment.factorSid,
    identity: totpEntityIdentity(config, who.subject),
    status: 'unverified',
  });
  // No PII reaches Twilio: the identity is 64 hex characters, not the subject or destination.
  expect(factor?.identity).toMatch(/^[0-9a-f]{64}$/);
});

test('enrolling again keeps the verified factor and an unfinished one still inside its 10 minutes, and removes one past them', async () => {
  const s = setup();
  const { enrolment: first } = await enrolled(s);
  await enrollTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID), who); // abandoned, and 11 minutes later past its window
  s.advance(11 * 60);
  const recent = await enrollTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID), who);
  s.advance(60);
  // `recent` may be being confirmed in another tab right now: it stays; `expired` never can be.
  const latest = await enrollTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID), who);
  expect(s.emulator.totpFactors().map((factor) => [factor.sid, factor.status])).toEqual([
    [latest.factorSid, 'unverified'],
    [recent.factorSid, 'unverified'],
    [first.factorSid, 'verified'],
  ]);
});

test('an enrolment started while another is being confirmed survives it, and replaces it once confirmed', async () => {
  const s = setup();
  await enrolled(s);
  s.advance(60);
  const pending = await enrollTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID), who);
  s.advance(60);
  const meanwhile = await enrollTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID), who);
  await confirmTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID, s.store), {
    handle: pending.handle,
    code: await codeAt(pending.secret, s.emulator.now()),
  });
  expect(s.emulator.totpFactors().map((factor) => [factor.sid, factor.status])).toEqual([
    [meanwhile.factorSid, 'unverified'],
    [pending.factorSid, 'verified'],
  ]);
  s.advance(30);
  await confirmTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID, s.store), {
    handle: meanwhile.handle,
    code: await codeAt(meanwhile.secret, s.emulator.now()),
  });
  expect(s.emulator.totpFactors().map((factor) => [factor.sid, factor.status])).toEqual([
    [meanwhile.factorSid, 'verified'],
  ]);
});

test('confirming a second app replaces the first: only the new one is listed and signs in (one app per destination)', async () => {
  const s = setup();
  const { enrolment: first } = await enrolled(s);
  const subject = who.subject;
  s.advance(60);
  // Until the new app is confirmed, the first one keeps signing in.
  const second = await enrollTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID), who);
  expect(
    (
      await checkTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID, s.store), {
        subject: subject,
        code: await codeAt(first.secret, s.emulator.now()),
      })
    ).factorSid,
  ).toBe(first.factorSid);
  s.advance(30);
  await confirmTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID, s.store), {
    handle: second.handle,
    code: await codeAt(second.secret, s.emulator.now()),
  });
  expect(
    (await listFactorsOfKind(flowContext(s.connection, config, EMULATOR_SERVICE_SID), 'totp', subject)).factors.map(
      (f) => [f.factorSid, f.status],
    ),
  ).toEqual([[second.factorSid, 'verified']]);
  s.advance(30);
  expect(
    (
      await failure(
        checkTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID, s.store), {
          subject: subject,
          code: await codeAt(first.secret, s.emulator.now()),
        }),
      )
    ).code,
  ).toBe('incorrect_code');
  expect(
    (
      await checkTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID, s.store), {
        subject: subject,
        code: await codeAt(second.secret, s.emulator.now()),
      })
    ).factorSid,
  ).toBe(second.factorSid);
});

test('confirm: a wrong code is 401, the right one verifies and names the subject; an expired handle is refused', async () => {
  const s = setup();
  const enrolment = await enrollTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID), who);
  const wrong = await failure(
    confirmTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID, s.store), {
      handle: enrolment.handle,
      code: await wrongCode(enrolment.secret, s.emulator.now()),
    }),
  );
  expect([wrong.code, wrong.status, wrong.field]).toEqual(['incorrect_code', 401, 'code']);
  const confirmed = await confirmTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID, s.store), {
    handle: enrolment.handle,
    code: await codeAt(enrolment.secret, s.emulator.now()),
  });
  expect(confirmed).toEqual({
    ok: true,
    status: 'verified',
    factorSid: enrolment.factorSid,
    subject: who.subject,
    destination: who.destination,
  });

  const late = await enrollTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID), who);
  s.advance(601);
  const expired = await failure(
    confirmTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID, s.store), {
      handle: late.handle,
      code: await codeAt(late.secret, s.emulator.now()),
    }),
  );
  expect([expired.code, expired.status, expired.field]).toEqual(['invalid_enrolment_handle', 400, 'handle']);
});

test('confirm: 5 wrong codes, then 429 max_totp_attempts (60310) and the locked factor is gone; enrolling again works', async () => {
  const s = setup();
  const enrolment = await enrollTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID), who);
  const wrong = await wrongCode(enrolment.secret, s.emulator.now());
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    expect(
      (
        await failure(
          confirmTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID, s.store), {
            handle: enrolment.handle,
            code: wrong,
          }),
        )
      ).code,
    ).toBe('incorrect_code');
  }
  const locked = await failure(
    confirmTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID, s.store), {
      handle: enrolment.handle,
      code: await codeAt(enrolment.secret, s.emulator.now()),
    }),
  );
  expect([locked.code, locked.status, locked.twilioCode]).toEqual(['max_totp_attempts', 429, 60310]);
  expect(locked.message).toMatch(/Add the authenticator app again/);
  expect(s.emulator.totpFactors()).toEqual([]);
  await enrolled(s);
});

test('check: approved with a later code; wrong and no-factor answers are identical; the budget is 429 with retryAfter alike', async () => {
  const s = setup();
  const { enrolment } = await enrolled(s);
  s.advance(3600);
  expect(
    await checkTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID, s.store), {
      subject: who.subject,
      code: await codeAt(enrolment.secret, s.emulator.now()),
    }),
  ).toEqual({
    ok: true,
    status: 'approved',
    factorSid: enrolment.factorSid,
  });
  const wrong = await failure(
    checkTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID, s.store), {
      subject: who.subject,
      code: await wrongCode(enrolment.secret, s.emulator.now()),
    }),
  );
  const nobody = await failure(
    checkTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID, s.store), {
      subject: 'sub-without-factor',
      code: '123456',
    }),
  );
  const shape = (error: AppError) => ({
    code: error.code,
    status: error.status,
    message: error.message,
    field: error.field,
    twilioCode: error.twilioCode,
    retryAfter: error.retryAfter,
    extra: error.extra,
  });
  expect(shape(nobody)).toEqual(shape(wrong));
  expect(shape(wrong)).toMatchObject({ code: 'incorrect_code', status: 401, field: 'code' });

  // 10 attempts an hour per destination (the approval counted too), with an app or without.
  for (let n = 3; n <= 10; n += 1)
    await failure(
      checkTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID, s.store), {
        subject: who.subject,
        code: await wrongCode(enrolment.secret, s.emulator.now()),
      }),
    );
  for (let n = 2; n <= 10; n += 1)
    await failure(
      checkTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID, s.store), {
        subject: 'sub-without-factor',
        code: '123456',
      }),
    );
  const limited = await failure(
    checkTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID, s.store), {
      subject: who.subject,
      code: await codeAt(enrolment.secret, s.emulator.now()),
    }),
  );
  const limitedNobody = await failure(
    checkTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID, s.store), {
      subject: 'sub-without-factor',
      code: '123456',
    }),
  );
  expect([limited.code, limited.status, limited.twilioCode, limited.retryAfter]).toEqual([
    'totp_rate_limited',
    429,
    undefined,
    3600,
  ]);
  expect(shape(limitedNobody)).toEqual(shape(limited));
  // Verify's own per-factor limit (60312) was never reached: 11 challenges at most were asked for.
  expect(s.emulator.totpFactors().length).toBe(1);
});

test('check: an enrolled but unconfirmed factor does not sign anyone in', async () => {
  const s = setup();
  const enrolment = await enrollTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID), who);
  const error = await failure(
    checkTotp(flowContext(s.connection, config, EMULATOR_SERVICE_SID, s.store), {
      subject: who.subject,
      code: await codeAt(enrolment.secret, s.emulator.now()),
    }),
  );
  expect(error.code).toBe('incorrect_code');
});

test('list and remove: only the subject’s own factors, another subject’s SID is not found', async () => {
  const s = setup();
  expect(await listFactorsOfKind(flowContext(s.connection, config, EMULATOR_SERVICE_SID), 'totp', who.subject)).toEqual(
    { ok: true, factors: [] },
  );
  const { enrolment } = await enrolled(s);
  const listed = await listFactorsOfKind(flowContext(s.connection, config, EMULATOR_SERVICE_SID), 'totp', who.subject);
  expect(listed.factors).toEqual([
    {
      factorSid: enrolment.factorSid,
      friendlyName: 'Acme Shop +1******0199',
      status: 'verified',
      dateCreated: expect.stringMatching(/Z$/),
    },
  ]);
  const stranger = await failure(
    removeFactorOfKind(flowContext(s.connection, config, EMULATOR_SERVICE_SID), 'totp', {
      factorSid: enrolment.factorSid,
      subject: 'someone-else',
    }),
  );
  expect([stranger.code, stranger.status, stranger.field]).toEqual(['factor_not_found', 404, 'factorSid']);
  expect(
    await removeFactorOfKind(flowContext(s.connection, config, EMULATOR_SERVICE_SID), 'totp', {
      factorSid: enrolment.factorSid,
      subject: who.subject,
    }),
  ).toEqual({ ok: true, removed: enrolment.factorSid });
  expect(await listFactorsOfKind(flowContext(s.connection, config, EMULATOR_SERVICE_SID), 'totp', who.subject)).toEqual(
    { ok: true, factors: [] },
  );
});
