// Verify's lifecycle through the real twilio SDK on the in-process client, one test per rule
// (docs/verify-facts.md, "Lifecycle"). Time moves with advanceClock, never with sleeps.
import { EMULATOR_SERVICE_SID, expectTwilioError, latestCode, setup, ATTEMPT_TIME, wrongCodeFor } from './support';

const TO = '+15005550006';

describe('starting a verification', () => {
  test('answers 201 pending with Verify SIDs, one send attempt, ISO dates, and never the code', async () => {
    const { emulator, service } = setup();
    const verification = await service.verifications.create({ to: TO, channel: 'sms' });

    expect(verification).toMatchObject({
      status: 'pending',
      valid: false,
      to: TO,
      channel: 'sms',
      serviceSid: EMULATOR_SERVICE_SID,
    });
    expect(verification.sid).toMatch(/^VE[0-9a-f]{32}$/);
    expect(verification.accountSid).toMatch(/^AC[0-9a-f]{32}$/);
    expect(verification.sendCodeAttempts).toEqual([
      {
        attempt_sid: expect.stringMatching(/^VL[0-9a-f]{32}$/),
        channel: 'sms',
        time: expect.stringMatching(ATTEMPT_TIME),
      },
    ]);
    expect(verification.url).toBe(
      `https://verify.twilio.com/v2/Services/${EMULATOR_SERVICE_SID}/Verifications/${verification.sid}`,
    );
    expect(JSON.stringify(verification.toJSON())).not.toContain(latestCode(emulator, TO));
  });

  test('generates a numeric code of the service code length, different each time', async () => {
    const { emulator, client } = setup();
    const eight = await client.verify.v2.services.create({ friendlyName: 'Eight digits', codeLength: 8 });
    const codes = new Set<string>();
    for (let i = 0; i < 12; i += 1) {
      const to = `+1500555${String(1000 + i)}`;
      await client.verify.v2.services(eight.sid).verifications.create({ to, channel: 'sms' });
      const code = latestCode(emulator, to);
      expect(code).toMatch(/^\d{8}$/);
      codes.add(code);
    }
    expect(codes.size).toBeGreaterThan(10);
  });

  test('a resend while pending keeps the SID and the code and appends a send attempt', async () => {
    const { emulator, service } = setup();
    const first = await service.verifications.create({ to: TO, channel: 'sms' });
    emulator.advanceClock(30);
    const second = await service.verifications.create({ to: TO, channel: 'call' });

    expect(second.sid).toBe(first.sid);
    expect(second.channel).toBe('call');
    expect(second.sendCodeAttempts).toHaveLength(2);
    expect(second.sendCodeAttempts.map((attempt: { channel: string }) => attempt.channel)).toEqual(['sms', 'call']);
    const messages = emulator.messages({ to: TO });
    expect(messages).toHaveLength(2);
    expect(messages[1]?.code).toBe(messages[0]?.code);
    expect(messages.map((message) => message.sid)).toEqual(
      second.sendCodeAttempts.map((attempt: { attempt_sid: string }) => attempt.attempt_sid),
    );
  });

  test('the 6th send within the window is 60203 (429); after it expires a new verification starts', async () => {
    const { emulator, service } = setup();
    const first = await service.verifications.create({ to: TO, channel: 'sms' });
    for (let send = 2; send <= 5; send += 1) await service.verifications.create({ to: TO, channel: 'sms' });
    await expectTwilioError(
      service.verifications.create({ to: TO, channel: 'sms' }),
      60203,
      429,
      'Max send attempts reached',
    );
    expect(emulator.messages({ to: TO })).toHaveLength(5);

    emulator.advanceClock(600);
    const fresh = await service.verifications.create({ to: TO, channel: 'sms' });
    expect(fresh.sid).not.toBe(first.sid);
    expect(fresh.sendCodeAttempts).toHaveLength(1);
  });

  test('a different To gets its own verification', async () => {
    const { service } = setup();
    const a = await service.verifications.create({ to: TO, channel: 'sms' });
    const b = await service.verifications.create({ to: '+15005550007', channel: 'sms' });
    expect(b.sid).not.toBe(a.sid);
  });
});

describe('checking a code', () => {
  test('the right code approves (200, valid true) by To; the verification is then gone (20404)', async () => {
    const { emulator, service } = setup();
    const verification = await service.verifications.create({ to: TO, channel: 'sms' });
    const check = await service.verificationChecks.create({ to: TO, code: latestCode(emulator, TO) });

    expect(check).toMatchObject({ sid: verification.sid, status: 'approved', valid: true, to: TO, channel: 'sms' });
    expect(check.snaAttemptsErrorCodes).toEqual([]);
    await expectTwilioError(service.verifications(verification.sid).fetch(), 20404, 404, verification.sid);
    await expectTwilioError(service.verificationChecks.create({ to: TO, code: latestCode(emulator, TO) }), 20404, 404);
  });

  test('the right code approves by VerificationSid', async () => {
    const { emulator, service } = setup();
    const verification = await service.verifications.create({ to: TO, channel: 'sms' });
    const check = await service.verificationChecks.create({
      verificationSid: verification.sid,
      code: latestCode(emulator, TO),
    });
    expect(check.status).toBe('approved');
  });

  test('a wrong code is 200 pending, valid false, and the right code still works afterwards', async () => {
    const { emulator, service } = setup();
    await service.verifications.create({ to: TO, channel: 'sms' });
    const code = latestCode(emulator, TO);
    const wrong = await service.verificationChecks.create({ to: TO, code: wrongCodeFor(code) });
    expect(wrong).toMatchObject({ status: 'pending', valid: false });
    expect((await service.verificationChecks.create({ to: TO, code })).status).toBe('approved');
  });

  test('5 wrong codes exhaust it: the 5th answers max_attempts_reached, then 60202 until the window ends, then 20404', async () => {
    const { emulator, service } = setup();
    const verification = await service.verifications.create({ to: TO, channel: 'sms' });
    const code = latestCode(emulator, TO);
    const statuses: string[] = [];
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      statuses.push((await service.verificationChecks.create({ to: TO, code: wrongCodeFor(code) })).status);
    }
    expect(statuses).toEqual(['pending', 'pending', 'pending', 'pending', 'max_attempts_reached']);

    await expectTwilioError(
      service.verificationChecks.create({ to: TO, code }),
      60202,
      429,
      'Max check attempts reached',
    );
    await expectTwilioError(service.verificationChecks.create({ verificationSid: verification.sid, code }), 60202, 429);
    await expectTwilioError(service.verifications.create({ to: TO, channel: 'sms' }), 60202, 429);
    await expectTwilioError(service.verifications(verification.sid).fetch(), 20404, 404);

    emulator.advanceClock(600);
    await expectTwilioError(service.verificationChecks.create({ to: TO, code }), 20404, 404);
    const fresh = await service.verifications.create({ to: TO, channel: 'sms' });
    expect(fresh.sid).not.toBe(verification.sid);
  });

  test('a code expires after 10 minutes: fetch and check answer 20404', async () => {
    const { emulator, service } = setup();
    const verification = await service.verifications.create({ to: TO, channel: 'sms' });
    const code = latestCode(emulator, TO);

    emulator.advanceClock(599);
    expect((await service.verifications(verification.sid).fetch()).status).toBe('pending');
    emulator.advanceClock(1);
    await expectTwilioError(service.verifications(verification.sid).fetch(), 20404, 404);
    await expectTwilioError(service.verificationChecks.create({ to: TO, code }), 20404, 404);
    await expectTwilioError(service.verificationChecks.create({ verificationSid: verification.sid, code }), 20404, 404);
  });

  test('a resend does not extend the 10 minutes', async () => {
    const { emulator, service } = setup();
    const verification = await service.verifications.create({ to: TO, channel: 'sms' });
    emulator.advanceClock(540);
    await service.verifications.create({ to: TO, channel: 'sms' });
    emulator.advanceClock(60);
    await expectTwilioError(service.verifications(verification.sid).fetch(), 20404, 404);
  });

  test('a verification of another service is not found', async () => {
    const { emulator, client, service } = setup();
    const other = await client.verify.v2.services.create({ friendlyName: 'Other' });
    const verification = await service.verifications.create({ to: TO, channel: 'sms' });
    const code = latestCode(emulator, TO);
    await expectTwilioError(
      client.verify.v2.services(other.sid).verificationChecks.create({ to: TO, code }),
      20404,
      404,
    );
    await expectTwilioError(
      client.verify.v2.services(other.sid).verificationChecks.create({ verificationSid: verification.sid, code }),
      20404,
      404,
    );
  });
});

describe('updating a verification', () => {
  test('cancel answers 200 canceled; fetch and check then answer 20404; a new send starts afresh', async () => {
    const { emulator, service } = setup();
    const verification = await service.verifications.create({ to: TO, channel: 'sms' });
    const canceled = await service.verifications(verification.sid).update({ status: 'canceled' });
    expect(canceled).toMatchObject({ sid: verification.sid, status: 'canceled', valid: false });

    await expectTwilioError(service.verifications(verification.sid).fetch(), 20404, 404);
    await expectTwilioError(service.verificationChecks.create({ to: TO, code: latestCode(emulator, TO) }), 20404, 404);
    await expectTwilioError(service.verifications(verification.sid).update({ status: 'canceled' }), 20404, 404);
    expect((await service.verifications.create({ to: TO, channel: 'sms' })).sid).not.toBe(verification.sid);
  });

  test('approve is refused (60204, 403) unless the service enables custom codes', async () => {
    const { service } = setup();
    const verification = await service.verifications.create({ to: TO, channel: 'sms' });
    await expectTwilioError(service.verifications(verification.sid).update({ status: 'approved' }), 60204, 403);
    expect((await service.verifications(verification.sid).fetch()).status).toBe('pending');
  });

  test('with custom codes: CustomCode is the code sent, and approve marks it approved', async () => {
    const { emulator, client } = setup();
    const custom = await client.verify.v2.services.create({ friendlyName: 'Custom', customCodeEnabled: true });
    const verifications = client.verify.v2.services(custom.sid).verifications;
    const verification = await verifications.create({ to: TO, channel: 'sms', customCode: '424242' });
    expect(latestCode(emulator, TO)).toBe('424242');

    const approved = await verifications(verification.sid).update({ status: 'approved' });
    expect(approved).toMatchObject({ status: 'approved', valid: true });
    await expectTwilioError(verifications(verification.sid).fetch(), 20404, 404);
  });

  test('CustomCode on a service without custom codes is 60204 (403)', async () => {
    const { service } = setup();
    await expectTwilioError(service.verifications.create({ to: TO, channel: 'sms', customCode: '424242' }), 60204, 403);
  });
});

describe('test numbers', () => {
  test('always get their fixed code; other numbers get random ones', async () => {
    const { emulator, service } = setup({ testNumbers: { [TO]: '123456', 'demo@example.com': '654321' } });
    await service.verifications.create({ to: TO, channel: 'sms' });
    await service.verifications.create({ to: 'demo@example.com', channel: 'email' });
    expect(latestCode(emulator, TO)).toBe('123456');
    expect(latestCode(emulator, 'demo@example.com')).toBe('654321');
    expect((await service.verificationChecks.create({ to: TO, code: '123456' })).status).toBe('approved');

    emulator.reset();
    await service.verifications.create({ to: TO, channel: 'sms' });
    expect(latestCode(emulator, TO)).toBe('123456');
  });

  test('invalid test numbers are refused when the emulator is created', () => {
    expect(() => setup({ testNumbers: { '5005550006': '123456' } })).toThrow(/Invalid test number/);
    expect(() => setup({ testNumbers: { [TO]: '12' } })).toThrow(/Invalid test number/);
  });
});
