/**
 * Emulator TOTP check throughput: sign-ins (a Challenge created with the right code as
 * AuthPayload → approved) per second through the real twilio SDK and the emulator's in-process
 * httpClient, each one an RFC 6238 check over the skew window (HMAC from node:crypto).
 * Verify allows 50 challenges per factor per hour, so each batch enrols enough factors
 * (untimed) and spreads the checks over them. Report only: the issue sets no target.
 */
import twilio from 'twilio';
import {
  createEmulator,
  EMULATOR_ACCOUNT_SID,
  EMULATOR_AUTH_TOKEN,
  EMULATOR_SERVICE_SID,
  type Emulator,
} from '../emulator';
import { summarize, type Figure } from './stats';

type Client = ReturnType<typeof twilio>;
const CHECKS_PER_FACTOR = 50;

interface Enrolled {
  identity: string;
  factorSid: string;
}

/** Verified factors for distinct identities, enough for `checks` challenges. */
async function enrol(client: Client, emulator: Emulator, checks: number): Promise<Enrolled[]> {
  const service = client.verify.v2.services(EMULATOR_SERVICE_SID);
  const enrolled: Enrolled[] = [];
  for (let i = 0; i < Math.ceil(checks / CHECKS_PER_FACTOR); i++) {
    const identity = `bench${i.toString(16).padStart(8, '0')}`;
    const factor = await service.entities(identity).newFactors.create({ friendlyName: 'Bench', factorType: 'totp' });
    const code = emulator.totpFactors().find((f) => f.sid === factor.sid)?.code ?? '';
    await service.entities(identity).factors(factor.sid).update({ authPayload: code });
    enrolled.push({ identity, factorSid: factor.sid });
  }
  return enrolled;
}

async function batch(client: Client, emulator: Emulator, size: number): Promise<{ wall: number; cpu: number }> {
  emulator.reset();
  const factors = await enrol(client, emulator, size);
  const codes = new Map(emulator.totpFactors().map((f) => [f.sid, f.code]));
  const service = client.verify.v2.services(EMULATOR_SERVICE_SID);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let n = 0; n < size; n++) {
    const factor = factors[n % factors.length] as Enrolled;
    const challenge = await service
      .entities(factor.identity)
      .challenges.create({ factorSid: factor.factorSid, authPayload: codes.get(factor.factorSid) ?? '' });
    if (challenge.status !== 'approved') throw new Error(`TOTP check answered ${challenge.status}`);
  }
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  return { wall: size / wall, cpu: size / ((cpu.user + cpu.system) / 1e6) };
}

export interface TotpBenchOptions {
  batches: number;
  size: number;
  warmup: number;
}

export async function emulatorTotpThroughput(options: TotpBenchOptions): Promise<Figure[]> {
  const emulator = createEmulator();
  const client = twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, { httpClient: emulator.httpClient });
  await batch(client, emulator, options.warmup);
  const rates: Array<{ wall: number; cpu: number }> = [];
  for (let b = 0; b < options.batches; b++) rates.push(await batch(client, emulator, options.size));
  return (['wall', 'cpu'] as const).map((kind) => {
    const values = rates.map((rate) => rate[kind]);
    return {
      group: 'emulator',
      name: `TOTP checks in-process, per ${kind === 'cpu' ? 'CPU-second' : 'wall-clock second'}`,
      median: summarize(values).median,
      p95: [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.05)] as number,
      samples: values.length,
      unit: '/s',
      target: 'report',
      pass: null,
      note: `${values.length} batches of ${options.size} approved Challenges (6 digits, skew 1, SHA-1), one at a time, ${Math.ceil(options.size / CHECKS_PER_FACTOR)} factors per batch`,
    };
  });
}
