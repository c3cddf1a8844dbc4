import { describe, expect, it, vi } from 'vitest';
import { invokeChannels, sendChannels, type InvokeChannel } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { createRouter, type InvokeHandlers, type SendHandlers } from '../../main/ipc/router';

/** Handlers that echo what they were given, so tests see exactly what validation passed on. */
function echoHandlers(): InvokeHandlers {
  const h = {} as Record<InvokeChannel, (a: unknown) => unknown>;
  for (const c of Object.keys(invokeChannels) as InvokeChannel[]) h[c] = (a) => ({ channel: c, args: a });
  return h as unknown as InvokeHandlers;
}
const ctx = { transport: 'web' } as const;

describe('IPC router', () => {
  it('passes validated arguments with defaults applied to the handler', async () => {
    const router = createRouter(echoHandlers(), { 'drag:start': () => {} });
    const env = await router.invoke('jobs:start', { params: { prompt: '  a red fox  ' } }, ctx);
    expect(env.ok).toBe(true);
    if (!env.ok) return;
    const { args } = env.value as { args: { params: Record<string, unknown>; count: number } };
    expect(args.count).toBe(1);
    expect(args.params).toMatchObject({
      prompt: 'a red fox',
      model: 'flux',
      aspectRatio: '1:1',
      seed: 0,
      randomizeSeed: true,
    });
    // No guidance given: none is set, so each provider sends its own default.
    expect(args.params).not.toHaveProperty('guidance');
  });

  it('rejects a malformed argument with a clear message and does not call the handler', async () => {
    const handlers = echoHandlers();
    const spy = vi.fn();
    handlers['jobs:start'] = spy;
    const router = createRouter(handlers, { 'drag:start': () => {} });
    const env = await router.invoke('jobs:start', { params: { prompt: '', seed: -4, width: 99999 } }, ctx);
    expect(spy).not.toHaveBeenCalled();
    expect(env).toEqual({
      ok: false,
      error: {
        code: 'invalid-argument',
        message: expect.stringContaining('Invalid argument for "jobs:start"'),
      },
    });
    if (env.ok) return;
    expect(env.error.message).toContain('params.prompt: prompt must not be empty');
    expect(env.error.message).toContain('params.width: width must be at most 2048');
    expect(env.error.message).toContain('params.seed: seed must be at least 0');
  });

  it('rejects unknown keys, wrong types and path-like ids', async () => {
    const router = createRouter(echoHandlers(), { 'drag:start': () => {} });
    const extra = await router.invoke('history:get', { id: 'abcdef12', path: '/etc/passwd' }, ctx);
    expect(extra.ok).toBe(false);
    const traversal = await router.invoke('history:get', { id: '../../etc/passwd' }, ctx);
    expect(traversal).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    const wrongType = await router.invoke('history:setFavourite', { id: 'abcdef12', favourite: 'yes' }, ctx);
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    const notObject = await router.invoke('history:query', 'text', ctx);
    expect(notObject).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
  });

  it('rejects unknown channels, including prototype keys', async () => {
    const router = createRouter(echoHandlers(), { 'drag:start': () => {} });
    for (const c of ['nope', '__proto__', 'constructor', 'toString', 42, null]) {
      const env = await router.invoke(c, {}, ctx);
      expect(env).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    }
  });

  it('keeps the code of an AppError and hides nothing else as internal', async () => {
    const handlers = echoHandlers();
    handlers['history:get'] = () => {
      throw new AppError('file-missing', 'The image file of this entry is missing.');
    };
    handlers['history:reuse'] = () => {
      throw new TypeError('boom');
    };
    const errors: string[] = [];
    const router = createRouter(handlers, { 'drag:start': () => {} }, (_e, c) => errors.push(c));
    expect(await router.invoke('history:get', { id: 'abcdef12' }, ctx)).toEqual({
      ok: false,
      error: { code: 'file-missing', message: 'The image file of this entry is missing.' },
    });
    expect(await router.invoke('history:reuse', { id: 'abcdef12' }, ctx)).toEqual({
      ok: false,
      error: { code: 'internal', message: 'boom' },
    });
    expect(errors).toEqual(['history:reuse']);
  });

  it('validates fire-and-forget sends and reports bad ones without throwing', () => {
    const drag = vi.fn();
    const errors: unknown[] = [];
    const router = createRouter(echoHandlers(), { 'drag:start': drag } as SendHandlers, (e) => errors.push(e));
    router.send('drag:start', { id: 'abcdef12' }, ctx);
    expect(drag).toHaveBeenCalledWith({ id: 'abcdef12' }, ctx);
    router.send('drag:start', { id: '/etc/passwd' }, ctx);
    router.send('no:such', {}, ctx);
    expect(drag).toHaveBeenCalledTimes(1);
    expect(errors).toHaveLength(2);
  });

  it('every channel of the contract has a schema', () => {
    for (const c of Object.values(invokeChannels)) expect(typeof c.args.safeParse).toBe('function');
    for (const s of Object.values(sendChannels)) expect(typeof s.safeParse).toBe('function');
  });
});
