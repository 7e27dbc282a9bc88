// Random requests to the emulator's Factors API routes: never a 5xx or a non-Twilio error
// body, and a factor's secret only ever in the answer that created it.
import fc from 'fast-check';
import { createEmulator } from '../../emulator';
import { BASIC_AUTH, EMULATOR_SERVICE_SID } from './support';

const PARAM_NAMES = [
  'Identity',
  'FriendlyName',
  'FactorType',
  'Binding.Secret',
  'Config.TimeStep',
  'Config.Skew',
  'Config.CodeLength',
  'Config.Alg',
  'Metadata',
  'AuthPayload',
  'FactorSid',
  'ExpirationDate',
  'HiddenDetails',
  'Details.Message',
  'Status',
  'Order',
  'PageSize',
  'Page',
] as const;
const value = fc.oneof(
  fc.string({ maxLength: 70 }),
  fc.constantFrom(
    'totp',
    'push',
    'sha1',
    'sha512',
    '0',
    '20',
    '60',
    '3',
    '8',
    '-1',
    '1e3',
    '{}',
    '[]',
    '{"a":"b"}',
    'JBSWY3DPEHPK3PXP',
    '123456',
    '2030-01-01T00:00:00Z',
    '__proto__',
  ),
);
const params = fc.dictionary(fc.constantFrom(...PARAM_NAMES), value, { maxKeys: 6 });
const identity = fc.oneof(
  fc.constantFrom('a1b2c3d4e5f6', 'user-1234-abcd', '%E0%A4%A', '..', '%2F', 'x'.repeat(65)),
  fc.string({ minLength: 1, maxLength: 70 }).map(encodeURIComponent),
);

test('1,500 random Factors API requests: no 5xx, Twilio-shaped errors, secrets only at creation', async () => {
  const emulator = createEmulator();
  const service = `/v2/Services/${EMULATOR_SERVICE_SID}`;
  const secrets: string[] = [];
  let challenges = 0;
  const sids = { factor: `YF${'0'.repeat(32)}`, challenge: `YC${'0'.repeat(32)}` };
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 9 }),
      identity,
      params,
      fc.boolean(),
      async (route, who, randomForm, grounded) => {
        const [method, path] = (
          [
            ['POST', `${service}/Entities`],
            ['GET', `${service}/Entities`],
            ['POST', `${service}/Entities/${who}/Factors`],
            ['POST', `${service}/Entities/a1b2c3d4e5f6/Factors`],
            ['GET', `${service}/Entities/${who}/Factors`],
            ['POST', `${service}/Entities/a1b2c3d4e5f6/Factors/${sids.factor}`],
            ['POST', `${service}/Entities/a1b2c3d4e5f6/Challenges`],
            ['POST', `${service}/Entities/a1b2c3d4e5f6/Challenges/${sids.challenge}`],
            ['GET', `${service}/Entities/a1b2c3d4e5f6/Challenges`],
            ['DELETE', `${service}/Entities/${who}/Factors/${sids.factor}`],
          ] as const
        )[route] as readonly [string, string];
        // Half the requests carry what their route needs, so the deeper paths are reached too.
        const form = grounded
          ? { ...randomForm, FriendlyName: 'Shop', FactorType: 'totp', FactorSid: sids.factor }
          : randomForm;
        const body = new URLSearchParams(form).toString();
        const response = await emulator.handle({
          method,
          path: method === 'GET' ? `${path}?${body}` : path,
          headers: { authorization: BASIC_AUTH, 'content-type': 'application/x-www-form-urlencoded' },
          body: method === 'GET' ? '' : body,
        });
        expect(response.status).toBeLessThan(500);
        if (response.status === 204) return;
        const json = JSON.parse(response.body) as Record<string, unknown>;
        if (response.status >= 400) {
          expect(Object.keys(json).sort()).toEqual(['code', 'message', 'more_info', 'status']);
          return;
        }
        const created = response.status === 201 && path.endsWith('/Factors');
        if (!created) for (const secret of secrets) expect(response.body).not.toContain(secret);
        if (created) {
          secrets.push((json['binding'] as { secret: string }).secret);
          sids.factor = String(json['sid']);
          if (path.includes('/a1b2c3d4e5f6/')) {
            const code = emulator.totpFactors().find((factor) => factor.sid === sids.factor)?.code ?? '';
            await emulator.handle({
              method: 'POST',
              path: `${path}/${sids.factor}`,
              headers: { authorization: BASIC_AUTH, 'content-type': 'application/x-www-form-urlencoded' },
              body: `AuthPayload=${code}`,
            });
          }
        }
        if (response.status === 201 && path.endsWith('/Challenges')) {
          sids.challenge = String(json['sid']);
          challenges += 1;
        }
      },
    ),
    { numRuns: 1500, seed: 1313 },
  );
  expect(secrets.length).toBeGreaterThan(0);
  expect(challenges).toBeGreaterThan(0);
});
