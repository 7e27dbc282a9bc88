import { AppError } from '../../src/domain/app-error';
import { eventParams, hasRuntimeShapedRequest, MAX_PARAMS_BYTES } from '../../src/http/request';

const runtime = { headers: { 'content-type': 'application/json', host: 'x.twil.io' }, cookies: {} };

describe('eventParams', () => {
  it('copies own parameters into an object without a prototype, leaving the runtime data out', () => {
    const params = eventParams({ to: '+14155552671', request: runtime });
    expect(Object.getPrototypeOf(params)).toBeNull();
    expect({ ...params }).toEqual({ to: '+14155552671' });
  });

  it('keeps a JSON `__proto__` a plain key (for the schema to refuse), never a prototype', () => {
    const event = { ...(JSON.parse('{"__proto__":{"to":"+14155552671"}}') as object), request: runtime };
    const params = eventParams(event);
    expect(Object.keys(params)).toEqual(['__proto__']);
    expect((params as { to?: unknown }).to).toBeUndefined();
  });

  it('counts what hides under `__proto__` in the size guard', () => {
    const bulk = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`p${i}`, 'x'.repeat(200)]));
    const event = {
      ...(JSON.parse(
        JSON.stringify({ to: '+1', ['__proto__' as string]: null }).replace('null', JSON.stringify(bulk)),
      ) as object),
      request: runtime,
    };
    expect(JSON.stringify(bulk).length).toBeGreaterThan(MAX_PARAMS_BYTES);
    expect(() => eventParams(event)).toThrow(AppError);
    // Like the local front's answer for an oversized body: the field is the body itself.
    expect(() => eventParams(event)).toThrow(
      expect.objectContaining({ code: 'invalid_request', status: 400, field: 'body' }),
    );
  });
});

describe('hasRuntimeShapedRequest', () => {
  it.each([
    ["the runtime's own", runtime, true],
    ['repeated headers as lists', { headers: { cookie: ['a', 'b'] }, cookies: { a: '1' } }, true],
    ['no request at all (the method then reads as GET)', undefined, true],
    ['headers only, as `?request[headers][content-type]=x` builds it', { headers: { 'content-type': 'x' } }, false],
    ['a string', 'x', false],
    ['an extra key', { ...runtime, method: 'POST' }, false],
    ['an upper-case header name', { headers: { Authorization: 'Bearer t' }, cookies: {} }, false],
    ['a non-string header value', { headers: { 'content-length': 5 }, cookies: {} }, false],
    ['cookies that are not strings', { headers: {}, cookies: { a: { b: 1 } } }, false],
  ])('%s', (_label, request, shaped) => {
    expect(hasRuntimeShapedRequest({ request } as never)).toBe(shaped);
  });
});
