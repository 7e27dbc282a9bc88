// Cancel and status through the real SDK and the emulator, on the emulator's clock.
import { handler as startHandler } from '../../functions/start-verify';
import { handler as checkHandler } from '../../functions/check-verify';
import { handler as resendHandler } from '../../functions/resend-verify';
import { handler as cancelHandler } from '../../functions/cancel-verify';
import { handler as statusHandler } from '../../functions/verification-status';
import type { Emulator } from '../../emulator';
import { invoke, type Handler } from '../support/invoke';
import { emulatorContext, useFrozenEmulator } from '../support/project-emulator';

const TO = '+14155552671';
let emulator: Emulator;
let env: Record<string, string>;

useFrozenEmulator((fresh) => {
  emulator = fresh;
  env = {};
});

const call = (handler: unknown, params: Record<string, unknown>) =>
  invoke(handler as Handler, params, { context: emulatorContext(emulator, env) });
const received = (to: string) => emulator.messages({ to }).filter((m) => m.status === 'delivered');

describe('cancel and status', () => {
  it('status lists attempts with their channels; cancel with the handle ends it; cancel again is still ok', async () => {
    const first = await call(startHandler, { to: TO });
    emulator.advanceClock(30);
    // The newest handle covers both of this caller's sends (and lets it cancel: nobody else sent).
    const started = await call(resendHandler, { verification: first.body.verification });
    const status = await call(statusHandler, { verification: started.body.verification });
    expect(status.body).toMatchObject({ status: 'pending', retryAfter: 40 });
    expect(status.body.attempts).toEqual([
      expect.objectContaining({ channel: 'sms' }),
      expect.objectContaining({ channel: 'call' }),
    ]);

    const code = received(TO)[0].code;
    expect((await call(cancelHandler, { to: '415 555 2671', country: 'US' })).body.error).toMatchObject({
      code: 'invalid_request',
      field: 'to',
    });
    expect((await call(cancelHandler, { verification: started.body.verification })).body).toEqual({
      ok: true,
      status: 'canceled',
    });
    expect((await call(checkHandler, { code, verification: started.body.verification })).status).toBe(404);
    expect((await call(cancelHandler, { verification: started.body.verification })).status).toBe(200);
    expect((await call(statusHandler, { verification: started.body.verification })).status).toBe(404);
  });
});
