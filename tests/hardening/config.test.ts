// The committed .env.example has every value blank, and twilio-run (npm run start:twilio) passes
// blank values to the functions as empty strings. Filling in only the required values must
// give a working deployment: blank optional settings mean "default", not "misconfigured".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { handler as startHandler } from '../../functions/start-verify';
import { handler as checkHandler } from '../../functions/check-verify';
import {
  EMULATOR_ACCOUNT_SID,
  EMULATOR_AUTH_TOKEN,
  EMULATOR_SERVICE_SID,
  EMULATOR_SYNC_SERVICE_SID,
} from '../../emulator';
import { createProjectEmulator } from '../support/project-emulator';
import { buildEvent, callHandler, inProcessContext, LogTap, type AnyHandler } from './support';

/** KEY=value lines as dotenv reads them (comments and blank lines skipped, values kept as-is). */
function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match && !line.trim().startsWith('#')) env[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return env;
}

describe('the committed .env.example, with only the required values filled in', () => {
  const committed = parseEnvFile(readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8'));
  const tap = new LogTap();
  beforeEach(() => tap.install());
  afterEach(() => tap.restore());

  it('is all blank (nothing secret committed)', () => {
    expect(Object.keys(committed).length).toBeGreaterThan(3);
    expect(Object.entries(committed).filter(([, v]) => v !== '')).toEqual([]);
  });

  it.each(
    Object.keys(committed).filter(
      (k) => !['ACCOUNT_SID', 'AUTH_TOKEN', 'VERIFY_SERVICE_SID', 'SYNC_SERVICE_SID'].includes(k),
    ),
  )('a blank %s means its default: a valid request is served, a bad one is a 400, never a 500', async (name) => {
    const emulator = createProjectEmulator();
    // Only this one optional value blank, as twilio-run hands it over.
    const context = {
      // The committed .env leaves VERIFY_RATE_LIMITS blank: its default (on) against a seeded service.
      ...inProcessContext(emulator, { VERIFY_RATE_LIMITS: undefined }),
      ACCOUNT_SID: EMULATOR_ACCOUNT_SID,
      AUTH_TOKEN: EMULATOR_AUTH_TOKEN,
      VERIFY_SERVICE_SID: EMULATOR_SERVICE_SID,
      [name]: '',
    };
    const json = { 'content-type': 'application/json' };
    const good = await callHandler(startHandler as AnyHandler, context, buildEvent({ to: '+14155552671' }, json), tap);
    const bad = await callHandler(checkHandler as AnyHandler, context, buildEvent({ code: 'x' }, json), tap);
    expect({
      name,
      good: good.status,
      bad: bad.status,
      error: (good.body as { error?: { message?: string } }).error?.message,
    }).toEqual({ name, good: 200, bad: 400, error: undefined });
  });

  it('all of it blank at once, as `npm run start:twilio` passes it', async () => {
    const emulator = createProjectEmulator();
    const context = {
      ...inProcessContext(emulator, { VERIFY_RATE_LIMITS: undefined }),
      ...committed,
      ACCOUNT_SID: EMULATOR_ACCOUNT_SID,
      AUTH_TOKEN: EMULATOR_AUTH_TOKEN,
      VERIFY_SERVICE_SID: EMULATOR_SERVICE_SID,
      SYNC_SERVICE_SID: EMULATOR_SYNC_SERVICE_SID,
    };
    const answer = await callHandler(
      startHandler as AnyHandler,
      context,
      buildEvent({ to: '+14155552671' }, { 'content-type': 'application/json' }),
      tap,
    );
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 200,
      body: expect.objectContaining({ ok: true }),
    });
  });
});
