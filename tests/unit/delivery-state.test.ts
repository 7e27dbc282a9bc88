import {
  CALL_STATUSES,
  MESSAGE_STATUSES,
  attemptDeliveryState,
  callDeliveryState,
  codeNotReceived,
  isFinalDeliveryState,
  messageDeliveryState,
} from '../../src/domain/delivery-state';
import { loadVerifySpec } from '../contract/verify-spec';

const enumOf = (name: string): string[] => {
  const schema = loadVerifySpec().components.schemas[name];
  return Array.isArray(schema?.['enum']) ? (schema['enum'] as string[]) : [];
};

describe('delivery state of an attempt', () => {
  it('knows every message and call status Twilio’s OpenAPI lists, and no others', () => {
    expect([...MESSAGE_STATUSES].sort()).toEqual(enumOf('verification_attempt_enum_message_status').sort());
    expect([...CALL_STATUSES].sort()).toEqual(enumOf('verification_attempt_enum_call_status').sort());
  });

  it.each([
    ['accepted', 'queued', false, false],
    ['scheduled', 'queued', false, false],
    ['queued', 'queued', false, false],
    ['sending', 'queued', false, false],
    ['sent', 'sent', false, false],
    ['partially_delivered', 'sent', false, false],
    ['receiving', 'sent', false, false],
    ['received', 'delivered', true, false],
    ['delivered', 'delivered', true, false],
    ['read', 'delivered', true, false],
    ['undelivered', 'undelivered', true, true],
    ['failed', 'failed', true, true],
    ['canceled', 'failed', true, true],
  ] as const)('message %s → %s (final %s, offer another channel %s)', (status, state, final, offer) => {
    expect(messageDeliveryState(status)).toBe(state);
    expect(isFinalDeliveryState(state)).toBe(final);
    expect(codeNotReceived(state)).toBe(offer);
    for (const channel of ['sms', 'whatsapp', 'rbm', 'email']) {
      expect(attemptDeliveryState({ channel, channelData: { message_status: status } })).toBe(state);
    }
  });

  it.each([
    ['queued', 'queued', false, false],
    ['ringing', 'calling', false, false],
    ['in-progress', 'calling', false, false],
    ['completed', 'completed', true, false],
    ['no-answer', 'no-answer', true, true],
    ['busy', 'busy', true, true],
    ['failed', 'failed', true, true],
    ['canceled', 'failed', true, true],
  ] as const)('call %s → %s (final %s, offer another channel %s)', (status, state, final, offer) => {
    expect(callDeliveryState(status)).toBe(state);
    expect(isFinalDeliveryState(state)).toBe(final);
    expect(codeNotReceived(state)).toBe(offer);
    expect(attemptDeliveryState({ channel: 'call', channelData: { call_status: status } })).toBe(state);
  });

  it('is unknown when no status was reported, the status is new, or it is on the wrong field', () => {
    expect(attemptDeliveryState({ channel: 'sms', channelData: null })).toBe('unknown');
    expect(attemptDeliveryState({ channel: 'sms', channelData: { status: 'unconfirmed' } })).toBe('unknown');
    expect(attemptDeliveryState({ channel: 'sms', channelData: { message_status: 'teleported' } })).toBe('unknown');
    expect(attemptDeliveryState({ channel: 'call', channelData: { message_status: 'delivered' } })).toBe('unknown');
    expect(messageDeliveryState('__proto__')).toBe('unknown');
    expect(callDeliveryState('toString')).toBe('unknown');
    expect(codeNotReceived('unknown')).toBe(false);
    expect(isFinalDeliveryState('unknown')).toBe(false);
  });
});

describe('the contract names every delivery state', () => {
  it('lists exactly the states the mapping can produce, plus unknown', async () => {
    const { statusResponse: build } = await import('../../src/contract/responses');
    const statusResponse = build();
    const { z } = await import('zod');
    const schema = z.toJSONSchema(statusResponse) as unknown as { properties: { delivery: { enum: string[] } } };
    const { messageDeliveryState, callDeliveryState, MESSAGE_STATUSES, CALL_STATUSES } = await import(
      '../../src/domain/delivery-state'
    );
    const produced = new Set<string>(['unknown']);
    for (const status of MESSAGE_STATUSES) produced.add(messageDeliveryState(status));
    for (const status of CALL_STATUSES) produced.add(callDeliveryState(status));
    expect([...schema.properties.delivery.enum].sort()).toEqual([...produced].sort());
  });
});
