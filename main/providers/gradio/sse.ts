/** Server-sent events over undici: status and content-type checks, idle timeout, bounded buffering. */
import { createParser } from 'eventsource-parser';
import { request } from 'undici';
import { discard, headerValue, httpError, networkError, protocolError, readErrorBody, type HttpOptions } from './http';

export interface SseMessage {
  /** The `event:` field; undefined for plain `data:` messages (the queue API). */
  event: string | undefined;
  data: string;
}

/** One event larger than this is a broken (or endless) stream, not a real Gradio message. */
export const MAX_EVENT_CHARS = 4 * 1024 * 1024;

/**
 * Opens `url` and yields its events until the server ends the stream. Throws AppError for a non-2xx
 * answer, a non-SSE content type, a stream silent for `idleTimeoutMs` (heartbeats count as
 * traffic), a connection cut, an oversized event, or `signal` (its reason when it is an AppError).
 */
export async function* readSse(
  url: string,
  http: HttpOptions & { headers?: Record<string, string>; maxEventChars?: number },
  what: string,
): AsyncGenerator<SseMessage, void, void> {
  const signal = http.signal;
  let res;
  try {
    res = await request(url, {
      method: 'GET',
      headers: { accept: 'text/event-stream', 'cache-control': 'no-cache', ...http.headers },
      signal,
      headersTimeout: http.idleTimeoutMs,
      bodyTimeout: http.idleTimeoutMs,
      ...(http.dispatcher ? { dispatcher: http.dispatcher } : {}),
    });
  } catch (err) {
    throw networkError(err, what, signal, http.providerId);
  }
  const body = res.body;
  try {
    const contentType = headerValue(res.headers, 'content-type').toLowerCase();
    if (res.statusCode < 200 || res.statusCode >= 300) {
      throw httpError(res.statusCode, contentType, await readErrorBody(body), what, http.providerId);
    }
    if (!contentType.includes('text/event-stream')) {
      throw protocolError(
        `${what} sent ${contentType.includes('html') ? 'an HTML page' : contentType || 'no content type'} where an event stream was expected.`,
        http,
      );
    }

    const pending: SseMessage[] = [];
    const maxChars = http.maxEventChars ?? MAX_EVENT_CHARS;
    let overflow = false;
    const parser = createParser({
      onEvent: (e) => pending.push({ event: e.event, data: e.data }),
      onError: (e) => {
        if (e.type === 'max-buffer-size-exceeded') overflow = true;
      },
      maxBufferSize: maxChars,
    });
    const decoder = new TextDecoder();
    for await (const chunk of body as AsyncIterable<Buffer>) {
      parser.feed(decoder.decode(chunk, { stream: true }));
      if (overflow) throw protocolError(`${what} sent an event that never ends (over ${maxChars} characters).`, http);
      while (pending.length > 0) yield pending.shift()!;
    }
  } catch (err) {
    throw networkError(err, what, signal, http.providerId);
  } finally {
    discard(body);
  }
}

/** The JSON of an event's data; malformed JSON is a protocol error naming what was expected. */
export function parseEventData(data: string, providerId?: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw protocolError('The Space sent malformed JSON in its event stream (expected a Gradio message).', {
      providerId,
    });
  }
}
