/**
 * The Factors API part of the contract scenario: every Entity, Factor and Challenge operation
 * the emulator implements, and each of their errors, driven through the real SDK so the
 * recorded answers can be validated against the spec. Codes come from otplib, not the emulator.
 */
import { generate } from 'otplib';
import type twilio from 'twilio';
import type { Emulator } from '../../emulator';

type Client = ReturnType<typeof twilio>;

/** Runs a call expected to fail; the failure itself is what gets recorded and validated. */
const failing = (promise: Promise<unknown>) =>
  promise.then(
    () => Promise.reject(new Error('expected a failure')),
    () => undefined,
  );

export async function driveTotpScenario(client: Client, emulator: Emulator, serviceSid: string): Promise<void> {
  const service = client.verify.v2.services(serviceSid);
  const identity = 'c0ffee00c0ffee00c0ffee00c0ffee00';
  const entity = service.entities(identity);
  const codeFor = (secret: string, offsetSeconds = 0) =>
    generate({ secret, epoch: Math.floor(emulator.now() / 1000) + offsetSeconds });
  /** A 6-digit code none of the skew window's steps has. */
  const wrongFor = async (secret: string) => {
    const valid = await Promise.all([-30, 0, 30].map((offset) => codeFor(secret, offset)));
    return ['000000', '111111', '222222', '333333'].find((candidate) => !valid.includes(candidate)) as string;
  };

  await service.entities.create({ identity: 'e1e1e1e1-e1e1e1e1' });
  await failing(service.entities.create({ identity: 'e1e1e1e1-e1e1e1e1' })); // 60301
  await failing(service.entities.create({ identity: 'short' })); // 60366
  await service.entities.list();
  await service.entities('e1e1e1e1-e1e1e1e1').fetch();
  await service.entities('e1e1e1e1-e1e1e1e1').remove();

  const factor = await entity.newFactors.create({ friendlyName: 'Contract: +1******0199', factorType: 'totp' });
  const secret = (factor.binding as { secret: string }).secret;
  await failing(entity.challenges.create({ factorSid: factor.sid, authPayload: '123456' })); // 60318
  await failing(entity.factors(factor.sid).update({ authPayload: 'abc' })); // 60311
  await entity.factors(factor.sid).update({ authPayload: await wrongFor(secret) });
  await entity.factors(factor.sid).update({ authPayload: await codeFor(secret), friendlyName: 'Contract: renamed' });
  await entity.factors.list();
  await entity.factors(factor.sid).fetch();
  await failing(entity.newFactors.create({ friendlyName: 'Bad', factorType: 'totp', 'config.skew': 5 })); // 60200

  const lockedSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const locked = await entity.newFactors.create({
    friendlyName: 'Locked',
    factorType: 'totp',
    'binding.secret': lockedSecret,
  });
  for (let attempt = 1; attempt <= 5; attempt += 1)
    await entity.factors(locked.sid).update({ authPayload: await wrongFor(lockedSecret) });
  await failing(entity.factors(locked.sid).update({ authPayload: await codeFor(lockedSecret) })); // 60310
  await entity.factors(locked.sid).remove();

  const right = await codeFor(secret);
  const notRight = await wrongFor(secret);
  const approved = await entity.challenges.create({ factorSid: factor.sid, authPayload: right });
  await failing(entity.challenges(approved.sid).update({ authPayload: right })); // 60322
  const pending = await entity.challenges.create({ factorSid: factor.sid, authPayload: notRight });
  for (let attempt = 2; attempt <= 5; attempt += 1)
    await entity.challenges(pending.sid).update({ authPayload: notRight });
  await failing(entity.challenges(pending.sid).update({ authPayload: right })); // 60308
  await entity.challenges(pending.sid).fetch();
  await entity.challenges.list({ factorSid: factor.sid, status: 'pending', order: 'desc' });
  await failing(entity.challenges.create({ factorSid: factor.sid, authPayload: '12' })); // 60200
  const expiring = await entity.challenges.create({ factorSid: factor.sid });
  for (let n = 4; n <= 50; n += 1) await entity.challenges.create({ factorSid: factor.sid });
  await failing(entity.challenges.create({ factorSid: factor.sid })); // 60312
  emulator.advanceClock(301);
  await entity.challenges(expiring.sid).fetch();
  await failing(entity.challenges(expiring.sid).update({ authPayload: right })); // 60323
  await failing(entity.factors(`YF${'0'.repeat(32)}`).fetch()); // 20404
  await entity.factors(factor.sid).remove();
  await entity.remove();
}
