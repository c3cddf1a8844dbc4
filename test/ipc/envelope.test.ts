/** The one rejection shape of `invoke` (both transports unwrap through it) and the listener registry. */
import { describe, expect, it } from 'vitest';
import { asBridgeFailure, toBridgeFailure, unwrapEnvelope } from '../../shared/envelope';
import type { ErrorInfo } from '../../shared/errors';
import { createListenerRegistry } from '../../shared/listeners';

describe('bridge failures', () => {
  it('an error answer rejects with a plain BridgeFailure carrying every field', () => {
    const info: ErrorInfo = {
      code: 'quota',
      message: 'GPU quota reached.',
      status: 429,
      providerId: 'bfl-flux1-dev',
      quota: { requestedSeconds: 60, leftSeconds: 23, retryInSeconds: 312 },
    };
    let thrown: unknown;
    try {
      unwrapEnvelope({ ok: false, error: info });
    } catch (err) {
      thrown = err;
    }
    // A plain object, not an Error: contextBridge would keep only an Error's message.
    expect(Object.getPrototypeOf(thrown)).toBe(Object.prototype);
    expect(thrown).toMatchObject({ name: 'BridgeError', ...info });
    expect(String(thrown)).toBe('GPU quota reached.');
    expect(unwrapEnvelope({ ok: true, value: 7 })).toBe(7);
  });

  it('validates codes: an unknown code, a missing answer or a forged one is `internal`', () => {
    expect(toBridgeFailure({ code: 'made-up' as ErrorInfo['code'], message: 'x' }).code).toBe('internal');
    expect(() => unwrapEnvelope(undefined)).toThrow(expect.objectContaining({ code: 'internal' }));
    expect(() => unwrapEnvelope({ ok: false } as never)).toThrow(expect.objectContaining({ code: 'internal' }));
    expect(toBridgeFailure({ code: 'network', message: '' }).message).toBe('Unexpected error.');
  });

  it('reads anything an invoke rejected with as a BridgeFailure', () => {
    expect(asBridgeFailure(toBridgeFailure({ code: 'busy', message: 'Busy.' }))).toMatchObject({ code: 'busy' });
    expect(asBridgeFailure(new Error('boom'))).toMatchObject({
      name: 'BridgeError',
      code: 'internal',
      message: 'boom',
    });
    expect(asBridgeFailure({ name: 'BridgeError', code: 'nope', message: 'm' }).code).toBe('internal');
  });
});

describe('listener registry', () => {
  it('isolates listeners: one that throws does not silence the others', () => {
    const errors: unknown[] = [];
    const reg = createListenerRegistry<string, number>((e) => errors.push(e));
    const heard: number[] = [];
    reg.add('a', () => {
      throw new Error('broken');
    });
    const off = reg.add('a', (n) => heard.push(n));
    reg.add('b', (n) => heard.push(-n));
    reg.emit('a', 1);
    off();
    reg.emit('a', 2);
    reg.emit('b', 3);
    expect(heard).toEqual([1, -3]);
    expect(errors).toHaveLength(2);
  });
});
