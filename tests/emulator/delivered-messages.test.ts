// What a person receives per channel, and the emulator's message log, reset and clock.
import { setup } from './support';

const PHONE = '+15005550006';

describe('message bodies', () => {
  test.each([
    ['sms', PHONE],
    ['whatsapp', PHONE],
    ['rcs', PHONE],
  ] as const)('%s: "Your <FriendlyName> verification code is: <code>"', async (channel, to) => {
    const { emulator, service } = setup();
    const verification = await service.verifications.create({ to, channel });
    const [message] = emulator.messages({ to });
    expect(message).toEqual({
      sid: verification.sendCodeAttempts[0].attempt_sid,
      to,
      channel,
      body: `Your Verify Emulator verification code is: ${message?.code}`,
      code: expect.stringMatching(/^\d{6}$/),
      locale: 'en',
      verificationSid: verification.sid,
      serviceSid: verification.serviceSid,
      dateCreated: expect.any(String),
      status: 'delivered',
    });
  });

  test('email: a subject and a text naming the service', async () => {
    const { emulator, service } = setup();
    await service.verifications.create({ to: 'person@example.com', channel: 'email', locale: 'de' });
    const [message] = emulator.messages({ to: 'person@example.com' });
    expect(message?.subject).toBe('Verify Emulator verification code');
    expect(message?.body).toMatch(
      /^Subject: Verify Emulator verification code\n\nYour Verify Emulator verification code is: \d{6}\n/,
    );
    expect(message?.locale).toBe('de');
  });

  test('call: the spoken words, digit by digit, twice', async () => {
    const { emulator, service } = setup({ testNumbers: { [PHONE]: '123456' } });
    await service.verifications.create({ to: PHONE, channel: 'call' });
    expect(emulator.messages()[0]?.body).toBe(
      'Your Verify Emulator verification code is: 1, 2, 3, 4, 5, 6. Once again, your code is: 1, 2, 3, 4, 5, 6.',
    );
  });

  test('CustomFriendlyName, AppHash and the do-not-share warning shape the SMS', async () => {
    const { emulator, client, service } = setup({
      testNumbers: { [PHONE]: '123456', '+15005550007': '654321' },
      seedService: { customFriendlyNameEnabled: true },
    });
    await service.verifications.create({
      to: PHONE,
      channel: 'sms',
      customFriendlyName: 'Acme',
      appHash: 'He42w354ol9',
    });
    expect(emulator.messages({ to: PHONE })[0]?.body).toBe('<#> Your Acme verification code is: 123456 He42w354ol9');

    const warned = await client.verify.v2.services.create({ friendlyName: 'Bank', doNotShareWarningEnabled: true });
    await client.verify.v2.services(warned.sid).verifications.create({ to: '+15005550007', channel: 'sms' });
    expect(emulator.messages({ to: '+15005550007' })[0]?.body).toBe(
      'Your Bank verification code is: 654321. Don’t share this code with anyone; our employees will never ask for the code.',
    );
  });
});

describe('message log', () => {
  test('lists oldest first, filters by To, and hands out copies', async () => {
    const { emulator, service } = setup();
    await service.verifications.create({ to: PHONE, channel: 'sms' });
    await service.verifications.create({ to: '+15005550007', channel: 'sms' });
    await service.verifications.create({ to: PHONE, channel: 'whatsapp' });

    expect(emulator.messages().map((message) => [message.to, message.channel])).toEqual([
      [PHONE, 'sms'],
      ['+15005550007', 'sms'],
      [PHONE, 'whatsapp'],
    ]);
    expect(emulator.messages({ to: PHONE })).toHaveLength(2);
    const copy = emulator.messages()[0];
    if (copy) copy.code = 'tampered';
    expect(emulator.messages()[0]?.code).not.toBe('tampered');
  });

  test('reset empties services, verifications, messages and the clock offset, and re-seeds', async () => {
    const { emulator, client, service } = setup();
    const start = emulator.now();
    await client.verify.v2.services.create({ friendlyName: 'Extra' });
    const verification = await service.verifications.create({ to: PHONE, channel: 'sms' });
    emulator.advanceClock(3600);

    emulator.reset();
    expect(emulator.messages()).toEqual([]);
    expect((await client.verify.v2.services.list()).map((item) => item.friendlyName)).toEqual(['Verify Emulator']);
    await expect(service.verifications(verification.sid).fetch()).rejects.toMatchObject({ code: 20404 });
    expect(emulator.now() - start).toBeLessThan(60_000);
  });

  test('the clock only moves forward', () => {
    const { emulator } = setup({ now: () => 1_000_000 });
    emulator.advanceClock(1.5);
    expect(emulator.now()).toBe(1_001_500);
    expect(() => emulator.advanceClock(-1)).toThrow(RangeError);
    expect(() => emulator.advanceClock(Number.NaN)).toThrow(RangeError);
  });
});

describe('delivery outcomes per channel', () => {
  it('marks later messages on that channel undelivered, others still arrive, reset restores', async () => {
    const { emulator, service } = setup();
    emulator.setDeliveryOutcome('whatsapp', 'undelivered');
    const to = '+15005550006';
    const verification = await service.verifications.create({ to, channel: 'whatsapp' });
    await service.verifications.create({ to, channel: 'sms' });
    expect(emulator.messages({ to }).map((m) => [m.channel, m.status])).toEqual([
      ['whatsapp', 'undelivered'],
      ['sms', 'delivered'],
    ]);
    // The attempts carry the channel each send used, as Verify lists them.
    const fetched = await service.verifications(verification.sid).fetch();
    expect(fetched.sendCodeAttempts.map((a: { channel: string }) => a.channel)).toEqual(['whatsapp', 'sms']);
    emulator.reset();
    await service.verifications.create({ to, channel: 'whatsapp' });
    expect(emulator.messages({ to })[0].status).toBe('delivered');
  });
});

describe('the To in place of the SID', () => {
  it('fetches and cancels the pending verification by its To', async () => {
    const { service } = setup();
    const created = await service.verifications.create({ to: '+15005550006', channel: 'sms' });
    expect((await service.verifications('+15005550006').fetch()).sid).toBe(created.sid);
    await service.verifications('+15005550006').update({ status: 'canceled' });
    await expect(service.verifications(created.sid).fetch()).rejects.toMatchObject({ code: 20404 });
    await expect(service.verifications('+15005550007').fetch()).rejects.toMatchObject({ code: 20404 });
  });
});
