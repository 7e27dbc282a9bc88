// The in-process httpClient: what it sends to `handle`, and how faults surface without a socket.
import { createHttpClientFor, type EmulatorRequest } from '../../emulator';
import { BASIC_AUTH, rejection, setup } from './support';

test('turns SDK options into one request: query from params, form body from data, Basic auth', async () => {
  const seen: EmulatorRequest[] = [];
  const client = createHttpClientFor(async (request) => {
    seen.push(request);
    return { status: 200, headers: {}, body: '{}' };
  });
  await client.request({
    method: 'post',
    uri: 'https://verify.twilio.com/v2/Services/VA1/Verifications?x=1',
    username: 'AC1',
    password: 'secret',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    params: { PageSize: 20 },
    data: { To: '+15005550006', Channel: 'sms', Tags: ['a', 'b'], Skip: undefined },
  });
  expect(seen[0]).toMatchObject({
    method: 'POST',
    path: '/v2/Services/VA1/Verifications?x=1&PageSize=20',
    body: 'To=%2B15005550006&Channel=sms&Tags=a&Tags=b',
    headers: { Authorization: `Basic ${Buffer.from('AC1:secret').toString('base64')}` },
  });
});

test('a dropped connection rejects like a reset socket', async () => {
  const { emulator, service } = setup();
  await emulator.handle({
    method: 'POST',
    path: '/emulator/v1/faults',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ match: { method: 'GET' }, drop: true }),
  });
  const error = await rejection(service.fetch());
  expect(error).toBeInstanceOf(Error);
  expect(error).toMatchObject({ code: 'ECONNRESET', message: 'socket hang up' });
  await expect(service.fetch()).resolves.toBeDefined();
});

test('a delay longer than the request timeout rejects like an axios timeout', async () => {
  const { emulator } = setup();
  await emulator.handle({
    method: 'POST',
    path: '/emulator/v1/faults',
    headers: { 'content-type': 'application/json' },
    body: '{"delayMs":200}',
  });
  const client = createHttpClientFor(emulator.handle);
  const error = await rejection(
    client.request({
      method: 'get',
      uri: 'https://verify.twilio.com/v2/Services',
      headers: { Authorization: BASIC_AUTH },
      timeout: 50,
    }),
  );
  expect(error).toMatchObject({ code: 'ECONNABORTED', message: 'timeout of 50ms exceeded' });
});

test('keeps lastResponse like RequestClient, so a 429’s Retry-After can be read after the SDK throws', async () => {
  const { emulator } = setup();
  const client = createHttpClientFor(emulator.handle);
  const ok = await client.request({
    method: 'get',
    uri: 'https://verify.twilio.com/v2/Services',
    headers: { Authorization: BASIC_AUTH },
  });
  expect(client.lastResponse).toBe(ok);
  await emulator.handle({
    method: 'POST',
    path: '/emulator/v1/faults',
    headers: { 'content-type': 'application/json' },
    body: '{"drop":true}',
  });
  await rejection(
    client.request({
      method: 'get',
      uri: 'https://verify.twilio.com/v2/Services',
      headers: { Authorization: BASIC_AUTH },
    }),
  );
  expect(client.lastResponse).toBeUndefined();
});

test('every /v2 answer carries a Date header on the emulator clock', async () => {
  const { emulator } = setup({ now: () => Date.UTC(2030, 0, 1) });
  emulator.advanceClock(3600);
  const answer = await emulator.handle({
    method: 'GET',
    path: '/v2/Services',
    headers: { authorization: BASIC_AUTH },
    body: '',
  });
  expect(answer.headers['date']).toBe('Tue, 01 Jan 2030 01:00:00 GMT');
  const refused = await emulator.handle({ method: 'GET', path: '/v2/Services', headers: {}, body: '' });
  expect(refused.headers['date']).toBe('Tue, 01 Jan 2030 01:00:00 GMT');
});
