// The TOTP flows and their security pieces with a stubbed Verify client: what reaches Verify,
// how each Verify answer and error reads to the caller, the enrolment handle's sealing.
import type { Twilio } from 'twilio';
import { readConfig } from '../../src/config';
import { AppError } from '../../src/domain/app-error';
import { totpFriendlyName } from '../../src/domain/totp-label';
import { parseInput } from '../../src/domain/validate';
import { totpCheckSchema, totpConfirmSchema } from '../../src/domain/schemas/totp';
import { checkTotp, withSignInDestination } from '../../src/flows/totp-check';
import { newestFirst } from '../../src/flows/factor-order';
import { confirmTotp } from '../../src/flows/totp-confirm';
import { spendTotpCode } from '../../src/flows/single-use';
import { enrollTotp } from '../../src/flows/totp-enroll';
import { removeFactorOfKind } from '../../src/flows/entity-factors';
import { openEnrolmentHandle, sealEnrolmentHandle } from '../../src/security/enrolment-handle';
import { totpEntityIdentity } from '../../src/security/totp-entity';
import type { VerifyConnection } from '../../src/verify/verify-client';
import { twilioError } from '../support/twilio-stub';
import { createMemoryStore } from '../../src/state/memory-store';
import { flowContext } from '../support/flow-context';

const SERVICE = `VA${'1'.repeat(32)}`;
const FACTOR = `YF${'2'.repeat(32)}`;
const config = readConfig({ SIGNING_SECRET: 'unit-secret', TOTP_ISSUER: 'Acme' });
const NOW = Date.UTC(2030, 0, 1);

interface Calls {
  entity: string[];
  create: unknown[];
  update: unknown[];
  remove: string[];
  challenge: unknown[];
  challengeList: number;
}

/** The slice of twilio's Verify v2 surface the TOTP flows use, with scripted answers. */
function stub(
  answers: {
    create?: () => unknown;
    fetch?: () => unknown;
    update?: () => unknown;
    list?: () => unknown;
    challenge?: () => unknown;
    remove?: () => unknown;
  } = {},
) {
  const calls: Calls = { entity: [], create: [], update: [], remove: [], challenge: [], challengeList: 0 };
  const run = async (answer: (() => unknown) | undefined, fallback: unknown) => {
    const value = answer ? answer() : fallback;
    if (value instanceof Error) throw value;
    return value;
  };
  const entities = (identity: string) => {
    calls.entity.push(identity);
    const factors = Object.assign(
      (sid: string) => ({
        fetch: () => run(answers.fetch, { sid, status: 'unverified' }),
        update: (params: unknown) => (
          calls.update.push({ sid, ...(params as object) }), run(answers.update, { sid, status: 'verified' })
        ),
        remove: () => (calls.remove.push(sid), run(answers.remove, true)),
      }),
      { list: () => run(answers.list, []) },
    );
    return {
      newFactors: {
        create: (params: unknown) => (
          calls.create.push(params),
          run(answers.create, {
            sid: FACTOR,
            binding: { secret: 'JBSWY3DPEHPK3PXP', uri: 'otpauth://totp/Acme:x?secret=JBSWY3DPEHPK3PXP' },
          })
        ),
      },
      factors,
      challenges: {
        create: (params: unknown) => (calls.challenge.push(params), run(answers.challenge, { status: 'approved' })),
        list: () => ((calls.challengeList += 1), run(undefined, [])),
      },
    };
  };
  const client = { verify: { v2: { services: () => ({ entities }) } } } as unknown as Twilio;
  const connection: VerifyConnection = {
    client,
    lastRetryAfter: () => undefined,
    lastHeader: () => undefined,
    serverNow: () => NOW,
  };
  return { calls, connection };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const verifiedFactor = (sid: string, created: number) => ({
  sid,
  factorType: 'totp',
  status: 'verified',
  friendlyName: 'Acme',
  dateCreated: new Date(created),
});

describe('enrol', () => {
  test('sends only the keyed-hash identity and label + masked destination to Verify; answers secret, URI, SVG and a sealed handle', async () => {
    const { calls, connection } = stub();
    const enrolment = await enrollTotp(flowContext(connection, config, SERVICE), {
      subject: 'sub-1',
      destination: 'jane@example.com',
      maskedDestination: 'j***@example.com',
    });
    expect(calls.entity).toEqual([totpEntityIdentity(config, 'sub-1')]);
    expect(calls.create).toEqual([{ factorType: 'totp', friendlyName: 'Acme j***@example.com' }]);
    expect(enrolment.qrSvg.startsWith('<svg')).toBe(true);
    expect(openEnrolmentHandle(config, enrolment.handle, NOW)).toEqual({
      factorSid: FACTOR,
      entity: calls.entity[0],
      subject: 'sub-1',
      destination: 'jane@example.com',
      expiresAt: NOW + 600_000,
    });
    expect(enrolment.expiresAt).toBe('2030-01-01T00:10:00Z');
  });

  test('starting again removes unfinished factors past their 10 minutes, never a younger one (maybe being confirmed) or a verified one', async () => {
    const unfinished = { ...verifiedFactor(`YF${'a'.repeat(32)}`, NOW - 600_000), status: 'unverified' };
    const young = { ...verifiedFactor(`YF${'c'.repeat(32)}`, NOW - 599_000), status: 'unverified' };
    const { calls, connection } = stub({ list: () => [young, unfinished, verifiedFactor(`YF${'b'.repeat(32)}`, 2)] });
    await enrollTotp(flowContext(connection, config, SERVICE), {
      subject: 'sub-1',
      destination: 'jane@example.com',
      maskedDestination: '+1******0199',
    });
    expect(calls.remove).toEqual([`YF${'a'.repeat(32)}`]);
    expect(calls.create).toHaveLength(1);
  });

  test('a subject with no Entity yet still enrols', async () => {
    const { calls, connection } = stub({ list: () => twilioError(404, 20404) });
    await enrollTotp(flowContext(connection, config, SERVICE), {
      subject: 'sub-1',
      destination: 'jane@example.com',
      maskedDestination: '+1******0199',
    });
    expect(calls.create).toHaveLength(1);
  });

  test('Verify refusing our credentials is a server misconfiguration, not the caller’s fault', async () => {
    const { connection } = stub({ create: () => twilioError(401, 20003) });
    expect(
      (
        await failure(
          enrollTotp(flowContext(connection, config, SERVICE), {
            subject: 's',
            destination: '+14155550199',
            maskedDestination: '+1******0199',
          }),
        )
      ).code,
    ).toBe('server_misconfigured');
  });
});

describe('confirm', () => {
  const handle = () =>
    sealEnrolmentHandle(config, {
      factorSid: FACTOR,
      entity: 'e'.repeat(64),
      subject: 'sub-1',
      destination: 'jane@example.com',
      expiresAt: NOW + 1000,
    });

  test.each([
    ['unverified', 'incorrect_code', 401],
    [twilioError(403, 60311), 'incorrect_code', 401],
    [twilioError(404, 20404), 'invalid_enrolment_handle', 400],
    [twilioError(429, 60310), 'max_totp_attempts', 429],
    [twilioError(503, 20503), 'verify_unavailable', 502],
  ] as const)('Verify answering %p → %s (%d)', async (answer, code, status) => {
    const { calls, connection } = stub({
      update: () => (typeof answer === 'string' ? { sid: FACTOR, status: answer } : answer),
    });
    const error = await failure(
      confirmTotp(flowContext(connection, config, SERVICE, createMemoryStore()), { handle: handle(), code: '123456' }),
    );
    expect([error.code, error.status]).toEqual([code, status]);
    // A factor Verify locked for good is removed so the list stays clean; nothing else is.
    expect(calls.remove).toEqual(code === 'max_totp_attempts' ? [FACTOR] : []);
  });

  test('the handle decides which factor and entity are verified; a forged or foreign handle never reaches Verify', async () => {
    const { calls, connection } = stub();
    expect(
      await confirmTotp(flowContext(connection, config, SERVICE, createMemoryStore()), {
        handle: handle(),
        code: '123456',
      }),
    ).toEqual({ ok: true, status: 'verified', factorSid: FACTOR, subject: 'sub-1', destination: 'jane@example.com' });
    expect(calls.entity).toEqual(['e'.repeat(64)]);
    expect(calls.update).toEqual([{ sid: FACTOR, authPayload: '123456' }]);
    const other = readConfig({ SIGNING_SECRET: 'another-secret' });
    const foreign = sealEnrolmentHandle(other, {
      factorSid: FACTOR,
      entity: 'x',
      subject: 'y',
      destination: 'z@example.com',
      expiresAt: NOW + 1000,
    });
    const sealed = handle();
    const flipped = `${sealed.slice(0, -2)}${sealed.at(-2) === 'A' ? 'B' : 'A'}${sealed.at(-1)}`;
    for (const bad of [foreign, flipped, 'eyJh..AAAA.AAAA.AAAA']) {
      const error = await failure(
        confirmTotp(flowContext(connection, config, SERVICE, createMemoryStore()), { handle: bad, code: '123456' }),
      );
      expect([error.code, error.field]).toEqual(['invalid_enrolment_handle', 'handle']);
    }
    expect(calls.update).toHaveLength(1);
  });

  test('the handle and the code are spent before Verify is asked: a verified factor is refused without sending the code; a wrong code gives both back', async () => {
    const verified = stub({ fetch: () => ({ sid: FACTOR, status: 'verified' }) });
    const error = await failure(
      confirmTotp(flowContext(verified.connection, config, SERVICE, createMemoryStore()), {
        handle: handle(),
        code: '000000',
      }),
    );
    expect([error.code, error.status, error.field]).toEqual(['invalid_enrolment_handle', 400, 'handle']);
    expect(verified.calls.update).toEqual([]);

    const store = createMemoryStore();
    const wrong = stub({ update: () => ({ sid: FACTOR, status: 'unverified' }) });
    expect(
      (
        await failure(
          confirmTotp(flowContext(wrong.connection, config, SERVICE, store), { handle: handle(), code: '111111' }),
        )
      ).code,
    ).toBe('incorrect_code');
    // Given back: the same handle confirms with the right code, and that code is then spent for sign-in.
    const right = stub();
    expect(
      (await confirmTotp(flowContext(right.connection, config, SERVICE, store), { handle: handle(), code: '123456' }))
        .status,
    ).toBe('verified');
    expect(await spendTotpCode(store, config, FACTOR, '123456')).toBe(false);
    expect(await spendTotpCode(store, config, FACTOR, '111111')).toBe(true);
  });

  test('a store that fails answers 503 before Verify is asked', async () => {
    const { calls, connection } = stub();
    const store = createMemoryStore();
    const down = { ...store, create: () => Promise.reject(new AppError('state_unavailable', { twilioCode: 20503 })) };
    expect(
      (await failure(confirmTotp(flowContext(connection, config, SERVICE, down), { handle: handle(), code: '123456' })))
        .code,
    ).toBe('state_unavailable');
    expect([calls.update, calls.remove]).toEqual([[], []]);
  });

  test('a store write whose answer is lost (a timeout after it landed) is 503 and is given back: the handle confirms on a retry', async () => {
    const store = createMemoryStore();
    let lose = true;
    const flaky = {
      ...store,
      create: async (key: string, data: object, ttl: number) => {
        const created = await store.create(key, data, ttl);
        if (lose) throw new AppError('state_unavailable');
        return created;
      },
    };
    const { calls, connection } = stub();
    expect(
      (
        await failure(
          confirmTotp(flowContext(connection, config, SERVICE, flaky), { handle: handle(), code: '123456' }),
        )
      ).code,
    ).toBe('state_unavailable');
    expect(calls.update).toEqual([]);
    lose = false;
    expect(
      (await confirmTotp(flowContext(connection, config, SERVICE, flaky), { handle: handle(), code: '123456' })).status,
    ).toBe('verified');
  });

  test('two apps enrolled in the same second: each confirm keeps the same one (SID order), so exactly one is left and it is the one sign-in challenges', async () => {
    const low = `YF${'1'.repeat(32)}`;
    const high = `YF${'9'.repeat(32)}`;
    const both = () => [verifiedFactor(low, 3000), verifiedFactor(high, 3000)];
    const handleOf = (factorSid: string) =>
      sealEnrolmentHandle(config, {
        factorSid,
        entity: 'e'.repeat(64),
        subject: 'sub-1',
        destination: 'jane@example.com',
        expiresAt: NOW + 1000,
      });
    const removed: string[] = [];
    for (const sid of [low, high]) {
      const { calls, connection } = stub({
        list: both,
        fetch: () => ({ sid, status: 'unverified' }),
        update: () => ({ sid, status: 'verified' }),
      });
      await confirmTotp(flowContext(connection, config, SERVICE, createMemoryStore()), {
        handle: handleOf(sid),
        code: '123456',
      });
      removed.push(...calls.remove);
    }
    expect(removed).toEqual([low]);
    // Sign-in challenges the one left.
    expect([verifiedFactor(low, 3000), verifiedFactor(high, 3000)].sort(newestFirst)[0].sid).toBe(high);
  });

  test('the confirmed app replaces the factors created before it (one app per destination), not a newer enrolment; the confirm stands if removing fails', async () => {
    const older = [
      verifiedFactor(`YF${'a'.repeat(32)}`, 1),
      { ...verifiedFactor(`YF${'b'.repeat(32)}`, 2), status: 'unverified' },
    ];
    const newer = { ...verifiedFactor(`YF${'d'.repeat(32)}`, 4), status: 'unverified' };
    const { calls, connection } = stub({ list: () => [newer, verifiedFactor(FACTOR, 3), ...older] });
    expect(
      (
        await confirmTotp(flowContext(connection, config, SERVICE, createMemoryStore()), {
          handle: handle(),
          code: '123456',
        })
      ).status,
    ).toBe('verified');
    expect(calls.remove.sort()).toEqual([`YF${'a'.repeat(32)}`, `YF${'b'.repeat(32)}`]);

    // Not listed (removed meanwhile): nothing is removed on its behalf.
    const gone = stub({ list: () => older });
    await confirmTotp(flowContext(gone.connection, config, SERVICE, createMemoryStore()), {
      handle: handle(),
      code: '123456',
    });
    expect(gone.calls.remove).toEqual([]);

    for (const answers of [
      { list: () => twilioError(503, 20503) },
      { list: () => [verifiedFactor(FACTOR, 3), ...older], remove: () => twilioError(503, 20503) },
    ]) {
      const flaky = stub(answers);
      expect(
        (
          await confirmTotp(flowContext(flaky.connection, config, SERVICE, createMemoryStore()), {
            handle: handle(),
            code: '123456',
          })
        ).status,
      ).toBe('verified');
    }
  });

  test('a wrong code removes nothing', async () => {
    const { calls, connection } = stub({
      list: () => [verifiedFactor(`YF${'a'.repeat(32)}`, 1)],
      update: () => ({ sid: FACTOR, status: 'unverified' }),
    });
    expect(
      (
        await failure(
          confirmTotp(flowContext(connection, config, SERVICE, createMemoryStore()), {
            handle: handle(),
            code: '123456',
          }),
        )
      ).code,
    ).toBe('incorrect_code');
    expect(calls.remove).toEqual([]);
  });

  test('two confirms of one handle with the right code, however the store orders their writes: one is verified, the other told the app is added or being added (never that the code was wrong)', async () => {
    const ticks = (n: number) => new Promise<void>((resolve) => setTimeout(resolve, n));
    for (let orders = 0; orders < 16; orders++) {
      // Bit i of `orders` makes the i-th write to the store land late.
      const store = createMemoryStore();
      let writes = 0;
      const reordered = {
        ...store,
        create: async (key: string, data: object, ttl: number) => {
          const late = (orders >> writes++) & 1;
          await ticks(late * 5);
          return store.create(key, data, ttl);
        },
      };
      let added = false;
      const { connection } = stub({
        fetch: () => ({ sid: FACTOR, status: added ? 'verified' : 'unverified' }),
        update: () => ((added = true), { sid: FACTOR, status: 'verified' }),
      });
      const confirm = () =>
        confirmTotp(flowContext(connection, config, SERVICE, reordered), { handle: handle(), code: '123456' }).then(
          (ok) => ok.status,
          (err: AppError) => err.code,
        );
      const answers = (await Promise.all([confirm(), confirm()])).sort();
      expect({ orders, verified: answers.filter((answer) => answer === 'verified').length }).toEqual({
        orders,
        verified: 1,
      });
      expect(['confirm_in_progress', 'invalid_enrolment_handle']).toContain(answers[0]);
    }
  });

  test('a right code sent while a wrong one is at Verify is 409 confirm_in_progress, not "already added"; sent again, it verifies (attack round 10)', async () => {
    let release = () => {};
    const atVerify = new Promise<void>((resolve) => {
      release = resolve;
    });
    let verified = false;
    const { calls, connection } = stub({
      fetch: () => ({ sid: FACTOR, status: verified ? 'verified' : 'unverified' }),
      update: () => {
        const { authPayload } = calls.update.at(-1) as { authPayload: string };
        if (authPayload !== '123456') return atVerify.then(() => ({ sid: FACTOR, status: 'unverified' }));
        verified = true;
        return { sid: FACTOR, status: 'verified' };
      },
    });
    const context = flowContext(connection, config, SERVICE, createMemoryStore());
    const typo = confirmTotp(context, { handle: handle(), code: '111111' }).catch((err: AppError) => err);
    while (calls.update.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const right = await failure(confirmTotp(context, { handle: handle(), code: '123456' }));
    expect([right.code, right.status, right.field]).toEqual(['confirm_in_progress', 409, 'handle']);
    release();
    expect(((await typo) as AppError).code).toBe('incorrect_code');
    expect((await confirmTotp(context, { handle: handle(), code: '123456' })).status).toBe('verified');
    // Once verified, a further confirm is told the app is added.
    const after = await failure(confirmTotp(context, { handle: handle(), code: '654321' }));
    expect([after.code, after.message]).toEqual([
      'invalid_enrolment_handle',
      'This authenticator app is already added: sign in with its code (/totp-check).',
    ]);
  });

  test('a factor gone before the confirm (removed, or Verify forgot it) reads as an invalid handle', async () => {
    const { calls, connection } = stub({ fetch: () => twilioError(404, 20404) });
    const error = await failure(
      confirmTotp(flowContext(connection, config, SERVICE, createMemoryStore()), { handle: handle(), code: '123456' }),
    );
    expect([error.code, error.status, error.twilioCode]).toEqual(['invalid_enrolment_handle', 400, 20404]);
    expect(calls.update).toEqual([]);
  });
});

describe('check', () => {
  test('challenges the newest verified TOTP factor with the code as AuthPayload', async () => {
    const factors = [
      verifiedFactor(`YF${'a'.repeat(32)}`, 1),
      { ...verifiedFactor(`YF${'b'.repeat(32)}`, 3), status: 'unverified' },
      verifiedFactor(`YF${'c'.repeat(32)}`, 2),
    ];
    const { calls, connection } = stub({ list: () => factors });
    expect(
      await checkTotp(flowContext(connection, config, SERVICE, createMemoryStore()), {
        subject: 'sub-1',
        code: '654321',
      }),
    ).toEqual({ ok: true, status: 'approved', factorSid: `YF${'c'.repeat(32)}` });
    expect(calls.challenge).toEqual([{ factorSid: `YF${'c'.repeat(32)}`, authPayload: '654321' }]);
  });

  test.each([
    ['no factors', () => [], undefined],
    ['no entity', () => twilioError(404, 20404), undefined],
    ['a pending challenge', () => [verifiedFactor(FACTOR, 1)], () => ({ status: 'pending' })],
    ['a factor Verify calls unverified (60318)', () => [verifiedFactor(FACTOR, 1)], () => twilioError(403, 60318)],
    ['a factor removed meanwhile (20404)', () => [verifiedFactor(FACTOR, 1)], () => twilioError(404, 20404)],
  ])('%s reads exactly like a wrong code, after as many Verify round trips', async (_case, list, challenge) => {
    const { calls, connection } = stub({ list, challenge });
    const error = await failure(
      checkTotp(flowContext(connection, config, SERVICE, createMemoryStore()), { subject: 'sub-1', code: '654321' }),
    );
    expect(calls.challenge.length + calls.challengeList).toBe(1);
    expect({
      code: error.code,
      status: error.status,
      field: error.field,
      message: error.message,
      twilioCode: error.twilioCode,
    }).toEqual({
      code: 'incorrect_code',
      status: 401,
      field: 'code',
      message: 'That code is not correct. Check it and try again.',
      twilioCode: undefined,
    });
  });

  test.each([
    [60308, 300],
    [60312, 3600],
  ])('Verify’s %d is 429 totp_rate_limited with retryAfter %d', async (twilioCode, retryAfter) => {
    const { connection } = stub({
      list: () => [verifiedFactor(FACTOR, 1)],
      challenge: () => twilioError(429, twilioCode),
    });
    const error = await failure(
      checkTotp(flowContext(connection, config, SERVICE, createMemoryStore()), { subject: 'sub-1', code: '654321' }),
    );
    expect([error.code, error.status, error.twilioCode, error.retryAfter]).toEqual([
      'totp_rate_limited',
      429,
      twilioCode,
      retryAfter,
    ]);
  });
});

describe('the destination a sign-in is tried for', () => {
  /** Records each destination tried; approves only `enrolled`, like Verify with one factor. */
  const attempts = (
    enrolled: string,
    otherwise: () => Error = () => new AppError('incorrect_code', { field: 'code' }),
  ) => {
    const tried: Array<{ to: string; masked: string }> = [];
    const attempt = async ({ to, masked }: { to: string; masked: string }) => {
      tried.push({ to, masked });
      if (to !== enrolled) throw otherwise();
      return 'approved';
    };
    return { tried, attempt };
  };

  test('a number typed as E.164 is tried as typed, masked as a parsed one would be, and tried once', async () => {
    const { tried, attempt } = attempts('+14155552671');
    expect(await withSignInDestination('+14155552671', undefined, attempt)).toBe('approved');
    expect(tried).toEqual([{ to: '+14155552671', masked: '+1******2671' }]);
  });

  test('an E.164 spelling with the national prefix kept (+33 0…) is parsed after the miss and tried again as Verify spells it', async () => {
    const { tried, attempt } = attempts('+33612345678');
    expect(await withSignInDestination('+330612345678', undefined, attempt)).toBe('approved');
    expect(tried.map((d) => d.to)).toEqual(['+330612345678', '+33612345678']);
  });

  test('a national number is parsed first (with `country`), then tried once', async () => {
    const { tried, attempt } = attempts('+14155552671');
    expect(await withSignInDestination('(415) 555-2671', 'US', attempt)).toBe('approved');
    expect(tried.map((d) => d.to)).toEqual(['+14155552671']);
  });

  test('a wrong code for a number already in its E.164 spelling is one attempt, answered as wrong', async () => {
    const { tried, attempt } = attempts('+14155552671');
    expect((await failure(withSignInDestination('+14155550100', undefined, attempt))).code).toBe('incorrect_code');
    expect(tried).toHaveLength(1);
  });

  test('an invalid number in E.164 shape still answers invalid_phone_number for `to`, after the miss', async () => {
    const { tried, attempt } = attempts('+14155552671');
    const error = await failure(withSignInDestination('+1415555', undefined, attempt));
    expect([error.code, error.status, error.field]).toEqual(['invalid_phone_number', 400, 'to']);
    expect(tried).toHaveLength(1);
  });

  test('any other failure (Verify’s limit) is answered at once, without parsing or trying again', async () => {
    const limited = () => new AppError('totp_rate_limited', { twilioCode: 60312, retryAfter: 3600 });
    const { tried, attempt } = attempts('+33612345678', limited);
    expect((await failure(withSignInDestination('+330612345678', undefined, attempt))).code).toBe('totp_rate_limited');
    expect(tried).toHaveLength(1);
  });
});

test('remove: a factor Verify does not find under this subject is factor_not_found', async () => {
  const { connection } = stub({ fetch: () => twilioError(404, 20404) });
  const error = await failure(
    removeFactorOfKind(flowContext(connection, config, SERVICE), 'totp', { factorSid: FACTOR, subject: 'sub-1' }),
  );
  expect([error.code, error.status, error.field]).toEqual(['factor_not_found', 404, 'factorSid']);
});

describe('pieces', () => {
  test('the entity identity is a keyed hash: 64 hex, per subject, per secret', () => {
    const id = totpEntityIdentity(config, 'sub-1');
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(totpEntityIdentity(config, 'sub-2')).not.toBe(id);
    expect(totpEntityIdentity(readConfig({ SIGNING_SECRET: 'other' }), 'sub-1')).not.toBe(id);
  });

  test('an enrolment handle expires and hides what it carries', async () => {
    const sealed = sealEnrolmentHandle(config, {
      factorSid: FACTOR,
      entity: 'entity',
      subject: 'sub-1',
      destination: 'jane@example.com',
      expiresAt: NOW + 1000,
    });
    expect(sealed).not.toContain(FACTOR);
    for (const part of sealed.split('.')) {
      expect(Buffer.from(part, 'base64url').toString('latin1')).not.toContain('sub-1');
      expect(Buffer.from(part, 'base64url').toString('latin1')).not.toContain('jane@');
    }
    expect(openEnrolmentHandle(config, sealed, NOW + 999)?.destination).toBe('jane@example.com');
    expect(openEnrolmentHandle(config, sealed, NOW + 999)?.subject).toBe('sub-1');
    expect(openEnrolmentHandle(config, sealed, NOW + 1000)).toBeUndefined();
    // An app's handle carries no challenge; a passkey registration's carries its own, sealed too.
    expect(openEnrolmentHandle(config, sealed, NOW)).not.toHaveProperty('challenge');
    const passkey = sealEnrolmentHandle(config, {
      factorSid: FACTOR,
      entity: 'entity',
      subject: 'sub-1',
      destination: 'jane@example.com',
      expiresAt: NOW + 1000,
      challenge: 'Y2hhbGxlbmdlLW9mLXRoaXMtcmVnaXN0cmF0aW9u',
    });
    expect(passkey).not.toContain('Y2hhbGxlbmdl');
    expect(openEnrolmentHandle(config, passkey, NOW)?.challenge).toBe('Y2hhbGxlbmdlLW9mLXRoaXMtcmVnaXN0cmF0aW9u');
  });

  test('the app’s account name keeps the masked destination whole within Verify’s 64 characters', () => {
    expect(totpFriendlyName('Acme', '+1******0199')).toBe('Acme +1******0199');
    expect(totpFriendlyName(undefined, '+1******0199')).toBe('+1******0199');
    const long = totpFriendlyName('A'.repeat(80), 'j***@example.com');
    expect(long).toHaveLength(64);
    expect(long.endsWith(' j***@example.com')).toBe(true);
  });

  test('codes are 3–8 digits (spaces dropped); handles must look like one', () => {
    expect(parseInput(totpCheckSchema(), { to: 'jane@example.com', code: '123 456' })).toEqual({
      to: 'jane@example.com',
      code: '123456',
    });
    expect(() => parseInput(totpCheckSchema(), { to: 'jane@example.com', code: '12ab56' })).toThrow(/3 to 8 digits/);
    const error = (() => {
      try {
        parseInput(totpConfirmSchema(), { handle: 'nope', code: '123456' });
      } catch (err) {
        return err as AppError;
      }
      return undefined;
    })();
    expect([error?.code, error?.field]).toEqual(['invalid_request', 'handle']);
  });
});
