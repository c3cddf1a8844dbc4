/**
 * The IPC router: maps contract channels to plain-Node handlers. Every argument is validated with
 * the contract's schema before a handler sees it; every answer is an Envelope. No Electron here —
 * the Electron glue and the WebSocket transport both call `invoke`/`send`.
 */
import type { z } from 'zod';
import {
  invokeChannels,
  isInvokeChannel,
  isSendChannel,
  sendChannels,
  type Envelope,
  type InvokeChannel,
  type InvokeParsedArgs,
  type InvokeResult,
  type SendChannel,
} from '../../shared/contract';
import { AppError, toErrorInfo } from '../../shared/errors';

export interface CallContext {
  /** `cli`: the command line calling its own core (no window). */
  transport: 'electron' | 'web' | 'cli';
}

export type InvokeHandlers = {
  [C in InvokeChannel]: (args: InvokeParsedArgs<C>, ctx: CallContext) => Promise<InvokeResult<C>> | InvokeResult<C>;
};
export type SendHandlers = {
  [C in SendChannel]: (args: z.output<(typeof sendChannels)[C]>, ctx: CallContext) => void;
};

export interface Router {
  invoke(channel: unknown, rawArgs: unknown, ctx: CallContext): Promise<Envelope<unknown>>;
  /** Fire-and-forget; failures are reported to `onError`, never thrown at the transport. */
  send(channel: unknown, rawArgs: unknown, ctx: CallContext): void;
}

/** "prompt: prompt must not be empty; seed: seed must be at most 2147483647" */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

export function validateArgs<S extends z.ZodType>(schema: S, raw: unknown, channel: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('invalid-argument', `Invalid argument for "${channel}": ${describeIssues(parsed.error)}`);
  }
  return parsed.data;
}

export function createRouter(
  handlers: InvokeHandlers,
  sendHandlers: SendHandlers,
  onError: (err: unknown, channel: string) => void = () => {},
): Router {
  return {
    async invoke(channel, rawArgs, ctx) {
      try {
        if (!isInvokeChannel(channel)) {
          throw new AppError('unknown-channel', `Unknown channel "${String(channel).slice(0, 64)}".`);
        }
        const args = validateArgs(invokeChannels[channel].args, rawArgs, channel);
        // The mapped handler type cannot be narrowed by the channel variable; args were validated above.
        const handler = handlers[channel] as (a: unknown, c: CallContext) => unknown;
        const value = await handler(args, ctx);
        return { ok: true, value };
      } catch (err) {
        const info = toErrorInfo(err);
        if (info.code === 'internal') onError(err, String(channel));
        return { ok: false, error: info };
      }
    },
    send(channel, rawArgs, ctx) {
      try {
        if (!isSendChannel(channel)) {
          throw new AppError('unknown-channel', `Unknown channel "${String(channel).slice(0, 64)}".`);
        }
        const args = validateArgs(sendChannels[channel], rawArgs, channel);
        (sendHandlers[channel] as (a: unknown, c: CallContext) => void)(args, ctx);
      } catch (err) {
        onError(err, String(channel));
      }
    },
  };
}
