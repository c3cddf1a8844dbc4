/**
 * The fake Space follows the Gradio server's rules of each version it plays (gradio-rules.ts),
 * checked over raw HTTP: no app code, only undici and a small SSE reader. No timing is asserted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fetch } from 'undici';
import {
  DEFAULT_TIMING,
  GRADIO_VERSIONS,
  PROVIDER_SPACES,
  RULES,
  SPACE_STAGES,
  createFakeHub,
  startFakeSpace,
  startFakeSpaces,
  type FakeSpace,
  type FakeSpaceOptions,
  type FakeSpaces,
  type GradioVersion,
} from './index';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

const FAST = { stepMs: 2, heartbeatMs: 60_000, queueUpdates: 1, progressSteps: 2, previews: 2 };

async function space(version: GradioVersion, o: FakeSpaceOptions = {}): Promise<FakeSpace> {
  const s = await startFakeSpace({ gradioVersion: version, ...o, timing: { ...FAST, ...o.timing } });
  open.push(s);
  return s;
}

const DEV = (width = 512, height = 512) => ['a red fox', 42, false, width, height, 3.5, 8];
const SCHNELL = (width = 512, height = 512) => ['a red fox', 42, false, width, height, 4];

interface Sse {
  event: string | null;
  data: string;
}
interface SseResult {
  status: number;
  events: Sse[];
  /** clean: the server ended the body; dropped: the connection closed mid-body; stopped: we stopped. */
  end: 'clean' | 'dropped' | 'stopped';
}

/** Reads an event stream until it ends or `until` is satisfied. */
async function readSse(url: string, until: (events: Sse[]) => boolean = () => false): Promise<SseResult> {
  const ac = new AbortController();
  const res = await fetch(url, { signal: ac.signal, headers: { accept: 'text/event-stream' } });
  const events: Sse[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return { status: res.status, events, end: 'clean' };
      buf += decoder.decode(value, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        let event: string | null = null;
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
        }
        events.push({ event, data: data.join('\n') });
        if (until(events)) {
          ac.abort();
          return { status: res.status, events, end: 'stopped' };
        }
      }
    }
  } catch {
    return { status: res.status, events, end: 'dropped' };
  }
}

type QueueMsg = Record<string, unknown> & { msg: string };
const msgs = (r: SseResult): QueueMsg[] => r.events.map((e) => JSON.parse(e.data) as QueueMsg);

async function post(url: string, body: unknown): Promise<{ status: number; text: string; json: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    // text body
  }
  return { status: res.status, text, json };
}

const P = (v: GradioVersion) => RULES[v].apiPrefix;

async function joinQueue(s: FakeSpace, v: GradioVersion, data: unknown[], session = 'sess1'): Promise<string> {
  const r = await post(`${s.url}${P(v)}/queue/join`, { data, fn_index: 2, trigger_id: 4, session_hash: session });
  expect(r.status).toBe(200);
  return (r.json as { event_id: string }).event_id;
}

const queueStream = (s: FakeSpace, v: GradioVersion, session = 'sess1') =>
  readSse(`${s.url}${P(v)}/queue/data?session_hash=${session}`);

async function callJob(s: FakeSpace, v: GradioVersion, body: Record<string, unknown>): Promise<SseResult> {
  const r = await post(`${s.url}${P(v)}/call/infer`, body);
  expect(r.status).toBe(200);
  const id = (r.json as { event_id: string }).event_id;
  return readSse(`${s.url}${P(v)}/call/infer/${id}`);
}

describe.each(GRADIO_VERSIONS.map((v) => [v] as const))('Gradio %s', (v) => {
  const rules = RULES[v];
  const newer = v !== '4.44';

  describe('/config', () => {
    it('announces the version, the prefix, the layout and real slider props', async () => {
      const s = await space(v, { sliders: { steps: { maximum: 40 } } });
      const config = (await (await fetch(`${s.url}/config`)).json()) as Record<string, unknown>;
      expect(config.version).toBe(rules.release);
      expect(config.api_prefix).toBe(newer ? '/gradio_api' : undefined);
      expect(config.protocol).toBe('sse_v3');
      expect(config.space_id).toBeNull();
      const components = config.components as { id: number; type: string; props: Record<string, unknown> }[];
      const byId = new Map(components.map((c) => [c.id, c]));
      const dep = (config.dependencies as { id: number; api_name: string; inputs: number[] }[]).find(
        (d) => d.api_name === 'infer',
      )!;
      expect(dep.id).toBe(2);
      expect(dep.inputs.map((id) => byId.get(id)!.props.label)).toEqual([
        'Prompt',
        'Seed',
        'Randomize seed',
        'Width',
        'Height',
        'Guidance Scale',
        'Number of inference steps',
      ]);
      const width = byId.get(dep.inputs[3]!)!;
      expect(width.type).toBe('slider');
      expect(width.props).toMatchObject({ minimum: 256, maximum: 2048, step: 32, value: 1024, label: 'Width' });
      expect(byId.get(dep.inputs[5]!)!.props).toMatchObject({ minimum: 1, maximum: 15, step: 0.1, value: 3.5 });
      expect(byId.get(dep.inputs[6]!)!.props).toMatchObject({ minimum: 1, maximum: 40, step: 1, value: 28 });
      expect(byId.get(dep.inputs[1]!)!.props).toMatchObject({ minimum: 0, maximum: 2147483647, step: 1, value: 0 });
    });

    it('the schnell layout has no guidance and 4 steps by default; an explicit prefix wins', async () => {
      const s = await space(v, { layout: 'schnell', apiPrefix: newer ? '' : '/gradio_api', spaceId: 'me/x' });
      const config = (await (await fetch(`${s.url}/config`)).json()) as Record<string, unknown>;
      expect(config.api_prefix).toBe(newer ? undefined : '/gradio_api');
      expect(config.space_id).toBe('me/x');
      const dep = (config.dependencies as { api_name: string; inputs: number[] }[]).find(
        (d) => d.api_name === 'infer',
      )!;
      expect(dep.inputs).toHaveLength(6);
      const steps = (config.components as { id: number; props: Record<string, unknown> }[]).find(
        (c) => c.id === dep.inputs[5],
      )!;
      expect(steps.props).toMatchObject({ label: 'Number of inference steps', value: 4, minimum: 1, maximum: 50 });
    });
  });

  describe('queue/join', () => {
    it('without a session_hash: 400 "Session hash not found."', async () => {
      const s = await space(v);
      const r = await post(`${s.url}${P(v)}/queue/join`, { data: DEV(), fn_index: 2 });
      expect(r).toMatchObject({ status: 400, json: { detail: 'Session hash not found.' } });
    });

    it('an unknown fn_index is an uncaught KeyError: 500 Internal Server Error', async () => {
      const s = await space(v);
      const r = await post(`${s.url}${P(v)}/queue/join`, { data: DEV(), fn_index: 7, session_hash: 'a' });
      expect(r).toMatchObject({ status: 500, text: 'Internal Server Error' });
    });

    it('without fn_index: 400; without data: 422 (FastAPI validation)', async () => {
      const s = await space(v);
      const noFn = await post(`${s.url}${P(v)}/queue/join`, { data: DEV(), session_hash: 'a' });
      expect(noFn).toMatchObject({ status: 400, json: { detail: 'No function index provided.' } });
      const noData = await post(`${s.url}${P(v)}/queue/join`, { fn_index: 2, session_hash: 'a' });
      expect(noData.status).toBe(422);
      expect(noData.json).toMatchObject({ detail: [{ type: 'missing', loc: ['body', 'data'] }] });
    });

    it('does not judge the data: an empty prompt and any size are accepted at join', async () => {
      const s = await space(v);
      const r = await post(`${s.url}${P(v)}/queue/join`, {
        data: ['', 1.5, 'yes', 8, 99999, 3.5, 8],
        fn_index: 2,
        session_hash: 'a',
      });
      expect(r.status).toBe(200);
    });

    it('reads JSON only as JSON: another content type is a 422', async () => {
      const s = await space(v);
      const res = await fetch(`${s.url}${P(v)}/queue/join`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ data: DEV(), fn_index: 2, session_hash: 'a' }),
      });
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({ detail: [{ type: 'model_attributes_type', loc: ['body'] }] });
    });

    it('a full queue and a stopped queue answer 503', async () => {
      const s = await space(v, { maxQueueSize: 0 });
      const body = { data: DEV(), fn_index: 2, session_hash: 'a' };
      const full = await post(`${s.url}${P(v)}/queue/join`, body);
      expect(full).toMatchObject({ status: 503, json: { detail: 'Queue is full. Max size is 0 and size is 0.' } });
      s.setQueueStopped(true);
      const stopped = await post(`${s.url}${P(v)}/queue/join`, body);
      expect(stopped).toMatchObject({ status: 503, json: { detail: 'Queue is stopped.' } });
      const call = await post(`${s.url}${P(v)}/call/infer`, { data: DEV() });
      expect(call).toMatchObject({ status: 503, json: { detail: 'Queue is stopped.' } });
    });

    it('queue-full / queue-stopped faults give the same answers, for `times` joins', async () => {
      const s = await space(v, { maxQueueSize: 5 });
      s.setFault({ route: 'join', kind: 'queue-full' }, { times: 1 });
      s.setFault({ route: 'join', kind: 'queue-stopped' }, { times: 1 });
      const body = { data: DEV(), fn_index: 2, session_hash: 'a' };
      expect(await post(`${s.url}${P(v)}/queue/join`, body)).toMatchObject({
        status: 503,
        json: { detail: 'Queue is full. Max size is 5 and size is 5.' },
      });
      expect(await post(`${s.url}${P(v)}/queue/join`, body)).toMatchObject({
        status: 503,
        json: { detail: 'Queue is stopped.' },
      });
      expect((await post(`${s.url}${P(v)}/queue/join`, body)).status).toBe(200);
    });
  });

  describe('queue/data', () => {
    it('an unknown session: HTTP 200, one unexpected_error, then the connection drops', async () => {
      const s = await space(v);
      const r = await queueStream(s, v, 'nobody');
      expect(r.status).toBe(200);
      expect(r.end).toBe('dropped');
      const [m] = msgs(r);
      expect(m).toEqual({
        msg: 'unexpected_error',
        event_id: null,
        message: newer ? '404: Not Found' : '404: Session not found.',
        success: false,
        ...(newer ? { session_not_found: true } : {}),
      });
    });

    it('runs a job: estimation → process_starts → log → progress → previews (diffs) → completed → close_stream', async () => {
      const s = await space(v);
      const id = await joinQueue(s, v, DEV());
      const r = await queueStream(s, v);
      expect(r.end).toBe('clean');
      const all = msgs(r);
      expect(all.map((m) => m.msg)).toEqual([
        'estimation',
        'process_starts',
        'log',
        'progress',
        'process_generating',
        'progress',
        'process_generating',
        'process_generating',
        'process_completed',
        'close_stream',
      ]);
      expect(all.slice(0, -1).every((m) => m.event_id === id)).toBe(true);
      expect(all[0]).toEqual({ msg: 'estimation', event_id: id, rank: 0, queue_size: 1, rank_eta: null });
      expect(all[1]).toEqual({ msg: 'process_starts', event_id: id, eta: null });
      expect(Object.keys(all[2]!)).toEqual(
        ['msg', 'event_id', 'log', 'level', 'duration', 'visible'].concat(newer ? ['title'] : []),
      );
      const gens = all.filter((m) => m.msg === 'process_generating');
      const first = (gens[0]!.output as { data: unknown[] }).data;
      expect(first[0]).toMatchObject({
        path: expect.stringMatching(/preview1\.webp$/),
        meta: { _type: 'gradio.FileData' },
      });
      // Later yields are utils.diff ops against the previous one; the seed did not change.
      const second = (gens[1]!.output as { data: unknown[][] }).data;
      expect(second[1]).toEqual([]);
      const ops = (second[0] as [string, string[]][]).map(([op, path]) => `${op}:${path.join('.')}`);
      expect(ops.filter((o) => o !== 'replace:size')).toEqual(['replace:path', 'replace:url', 'replace:orig_name']);
      const done = all.at(-2)!;
      const out = done.output as { data: [{ url: string }, number] };
      expect(out.data[1]).toBe(42);
      expect(out.data[0].url).toContain(`${P(v)}/file=`);
      expect(Object.keys(done)).toEqual(
        ['msg', 'event_id', 'output', 'success']
          .concat(rules.completedTitle ? ['title'] : [])
          .concat(rules.completedCacheFields ? ['used_cache', 'cache_duration', 'avg_time'] : []),
      );
      const file = await fetch(out.data[0].url);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toBe('image/webp');
      await expect.poll(() => s.jobs[0]!.state).toBe('done');
    });

    it('close_stream only once the session has no pending event', async () => {
      const s = await space(v, { timing: { previews: 0 } });
      const a = await joinQueue(s, v, DEV());
      const b = await joinQueue(s, v, DEV());
      const r = await queueStream(s, v);
      const all = msgs(r);
      const completed = all.flatMap((m, i) => (m.msg === 'process_completed' ? [[m.event_id, i]] : []));
      expect(completed.map(([id]) => id).sort()).toEqual([a, b].sort());
      expect(all.at(-1)!.msg).toBe('close_stream');
      expect(all.filter((m) => m.msg === 'close_stream')).toHaveLength(1);
      expect(r.end).toBe('clean');
    });

    it('sends heartbeats on an idle known session', async () => {
      const s = await space(v, { timing: { heartbeatMs: 20, previews: 0 } });
      await joinQueue(s, v, DEV());
      await expect.poll(() => s.jobs[0]!.state).toBe('done');
      // The job's messages were queued for the session; a heartbeat follows once they are read.
      const r = await readSse(`${s.url}${P(v)}/queue/data?session_hash=sess1`, (e) =>
        e.some((x) => (JSON.parse(x.data) as QueueMsg).msg === 'heartbeat'),
      );
      expect(msgs(r).some((m) => m.msg === 'process_completed')).toBe(true);
    });

    it('too few inputs fail inside the job with error null; extra inputs are ignored', async () => {
      const s = await space(v, { timing: { previews: 0 } });
      await joinQueue(s, v, SCHNELL());
      const failed = msgs(await queueStream(s, v)).find((m) => m.msg === 'process_completed')!;
      expect(failed).toMatchObject({ success: false, output: { error: null } });
      const schnell = await space(v, { layout: 'schnell', timing: { previews: 0 } });
      await joinQueue(schnell, v, DEV());
      const ok = msgs(await queueStream(schnell, v)).find((m) => m.msg === 'process_completed')!;
      expect(ok.success).toBe(true);
    });

    it(`slider bounds ${rules.sliderBounds ? 'fail the job inside it' : 'are not checked'}`, async () => {
      const s = await space(v, { timing: { previews: 0 } });
      await joinQueue(s, v, DEV(128, 512));
      const all = msgs(await queueStream(s, v));
      const done = all.find((m) => m.msg === 'process_completed')!;
      if (!rules.sliderBounds) return expect(done.success).toBe(true);
      expect(all.map((m) => m.msg)).toEqual(['estimation', 'process_starts', 'process_completed', 'close_stream']);
      expect(done).toMatchObject({
        success: false,
        title: 'Error',
        output: { error: 'Value 128 is less than minimum value 256.', duration: 10, visible: true, title: 'Error' },
      });
      await expect.poll(() => s.jobs[0]!.state).toBe('failed');
    });

    it('slider messages print values as Python does (floats, bools)', async () => {
      const s = await space(v, { timing: { previews: 0 } });
      const outcome = async (data: unknown[], session: string) => {
        await joinQueue(s, v, data, session);
        return msgs(await queueStream(s, v, session)).find((m) => m.msg === 'process_completed')!.output as {
          error?: string | null;
        };
      };
      const guidance = await outcome(['fox', 1, false, 512, 512, 20.5, 8], 'g');
      const bool = await outcome(['fox', 1, false, true, 512, 3.5, 8], 'b');
      if (!rules.sliderBounds) return expect([guidance.error, bool.error]).toEqual([undefined, undefined]);
      expect(guidance.error).toBe('Value 20.5 is greater than maximum value 15.');
      expect(bool.error).toBe('Value True is less than minimum value 256.');
    });

    it('a quota refusal carries the gr.Error text as the version formats it', async () => {
      const s = await space(v, { zeroGpu: { quotaWithoutJwt: true }, timing: { previews: 0 } });
      await joinQueue(s, v, DEV());
      const done = msgs(await queueStream(s, v)).find((m) => m.msg === 'process_completed')!;
      const out = done.output as { error: string; title?: string };
      if (newer) {
        expect(out.error).toMatch(/^You have exceeded your GPU quota/);
        expect(out.title).toBe('ZeroGPU quota exceeded');
      } else {
        // 4.x: error_payload uses str(gr.Error), which is repr(message): Python quotes, no title.
        expect(out.error).toMatch(/^'You have exceeded your GPU quota.*'$/);
        expect(out.title).toBeUndefined();
      }
    });
    it('a stopped queue: open streams get unexpected_error "Server stopped unexpectedly."', async () => {
      const s = await space(v, { timing: { heartbeatMs: 20, previews: 0 } });
      await joinQueue(s, v, DEV());
      let stopped = false;
      const r = await readSse(`${s.url}${P(v)}/queue/data?session_hash=sess1`, (events) => {
        const m = JSON.parse(events.at(-1)!.data) as QueueMsg;
        if (!stopped && m.msg === 'process_starts') {
          stopped = true;
          s.setQueueStopped(true);
        }
        return m.msg === 'unexpected_error';
      });
      expect(msgs(r).at(-1)).toMatchObject({ msg: 'unexpected_error', message: 'Server stopped unexpectedly.' });
      expect(s.jobs[0]!.state).toBe('cancelled');
    });

    it("a client that leaves the stream drops its session's jobs (clean_events)", async () => {
      const s = await space(v, { timing: { stepMs: 20, progressSteps: 20 } });
      await joinQueue(
        s,
        v,
        DEV(512, 512).map((x, i) => (i === 6 ? 40 : x)),
      );
      await joinQueue(s, v, DEV());
      const r = await readSse(`${s.url}${P(v)}/queue/data?session_hash=sess1`, (e) =>
        e.some((x) => (JSON.parse(x.data) as QueueMsg).msg === 'progress'),
      );
      expect(r.end).toBe('stopped');
      await expect.poll(() => s.jobs.map((j) => j.state)).toEqual(['cancelled', 'cancelled']);
    });

    it('the error-event fault fails the job as the version formats an exception', async () => {
      const s = await space(v);
      s.setFault({ route: 'stream', kind: 'error-event', message: null, afterMessages: 2 });
      await joinQueue(s, v, DEV());
      const all = msgs(await queueStream(s, v));
      expect(all.map((m) => m.msg)).toEqual(['estimation', 'process_starts', 'process_completed', 'close_stream']);
      expect(all[2]).toMatchObject({ success: false, output: { error: null }, ...(newer ? { title: 'Error' } : {}) });
      expect(s.jobs[0]!.state).toBe('failed');
    });

    it('the unexpected-error fault: one unexpected_error, then the connection drops', async () => {
      const s = await space(v);
      s.setFault({ route: 'stream', kind: 'unexpected-error', message: 'boom' });
      await joinQueue(s, v, DEV());
      const r = await queueStream(s, v);
      expect(r.end).toBe('dropped');
      expect(msgs(r).at(-1)).toMatchObject({ msg: 'unexpected_error', event_id: null, message: 'boom' });
    });
  });

  describe('call API', () => {
    it('without a session_hash the event id is the session, and GET streams the job', async () => {
      const s = await space(v);
      const r = await callJob(s, v, { data: DEV() });
      expect(r.end).toBe('clean');
      expect(r.events.map((e) => e.event)).toEqual(['generating', 'generating', 'generating', 'complete']);
      // json.dumps: Python separators.
      expect(r.events.at(-1)!.data).toMatch(
        /^\[\{"path": "[^"]+", "url": "[^"]+", "size": \d+, "orig_name": "image.webp", .*\}, 42\]$/,
      );
      expect(s.jobs[0]!.sessionHash).toBe(s.jobs[0]!.eventId);
    });

    it(`with a client session_hash, GET ${rules.callGetSession === 'event-id' ? 'fails while the job runs unobserved' : 'finds the job by its own session'}`, async () => {
      const s = await space(v);
      const r = await callJob(s, v, { data: DEV(), session_hash: 'mine' });
      expect(s.jobs[0]!.sessionHash).toBe('mine');
      if (rules.callGetSession === 'event-id') {
        expect(r.events).toEqual([{ event: 'error', data: newer ? '"404: Not Found"' : '"404: Session not found."' }]);
        expect(r.end).toBe('dropped');
        await expect.poll(() => s.jobs[0]!.state).toBe('done');
      } else {
        expect(r.events.at(-1)!.event).toBe('complete');
        expect(r.end).toBe('clean');
      }
    });

    it(`a failed job: event error with ${rules.callErrorData === 'null' ? 'null' : 'the error dict'}`, async () => {
      const s = await space(v, { timing: { previews: 0 } });
      const r = await callJob(s, v, { data: DEV(4096, 512) });
      if (!rules.sliderBounds) return expect(r.events.at(-1)!.event).toBe('complete');
      expect(r.events).toHaveLength(1);
      expect(r.events[0]!.event).toBe('error');
      expect(r.events[0]!.data).toBe(
        rules.callErrorData === 'null'
          ? 'null'
          : '{"error": "Value 4096 is greater than maximum value 2048.", "duration": 10, "visible": true, "title": "Error"}',
      );
    });

    it('a Schnell client on a Dev Space fails inside the job (too few inputs)', async () => {
      const s = await space(v, { timing: { previews: 0 } });
      const r = await callJob(s, v, { data: SCHNELL() });
      expect(r.events).toEqual([{ event: 'error', data: rules.callErrorData === 'null' ? 'null' : '{"error": null}' }]);
      await expect.poll(() => s.jobs[0]!.state).toBe('failed');
    });

    it('the error-event and quota faults use the same shape', async () => {
      const s = await space(v);
      s.setFault({ route: 'stream', kind: 'error-event', message: 'boom' }, { times: 1 });
      s.setFault({ route: 'stream', kind: 'quota' }, { times: 1 });
      const boom = await callJob(s, v, { data: DEV() });
      const quota = await callJob(s, v, { data: DEV() });
      for (const [r, text] of [
        [boom, 'boom'],
        [quota, 'You have exceeded your GPU quota'],
      ] as const) {
        const last = r.events.at(-1)!;
        expect(last.event).toBe('error');
        if (rules.callErrorData === 'null') expect(last.data).toBe('null');
        else expect((JSON.parse(last.data) as { error: string }).error).toContain(text);
      }
    });

    it('an unknown api name is a 500; the GET ignores the api name', async () => {
      const s = await space(v);
      expect(await post(`${s.url}${P(v)}/call/nope`, { data: DEV() })).toMatchObject({ status: 500 });
      const r = await post(`${s.url}${P(v)}/call/infer`, { data: DEV() });
      const id = (r.json as { event_id: string }).event_id;
      const got = await readSse(`${s.url}${P(v)}/call/whatever/${id}`);
      expect(got.events.at(-1)!.event).toBe('complete');
    });
  });

  describe('cancel', () => {
    it('needs session_hash, fn_index and event_id (422 otherwise)', async () => {
      const s = await space(v);
      const r = await post(`${s.url}${P(v)}/cancel`, { session_hash: 'a', event_id: 'b' });
      expect(r.status).toBe(422);
      expect(r.json).toMatchObject({ detail: [{ type: 'missing', loc: ['body', 'fn_index'] }] });
      expect(await post(`${s.url}${P(v)}/cancel`, { session_hash: 'a', fn_index: 2, event_id: 'b' })).toMatchObject({
        status: 200,
        json: { success: true },
      });
    });

    it('stops a running job; the stream gets process_completed with output {} and success true', async () => {
      const s = await space(v, { timing: { stepMs: 30, progressSteps: 20, previews: 0 } });
      const id = await joinQueue(
        s,
        v,
        DEV(512, 512).map((x, i) => (i === 6 ? 40 : x)),
      );
      let cancelled = false;
      const r = await readSse(`${s.url}${P(v)}/queue/data?session_hash=sess1`, (events) => {
        const last = JSON.parse(events.at(-1)!.data) as QueueMsg;
        if (last.msg === 'progress' && !cancelled) {
          cancelled = true;
          void post(`${s.url}${P(v)}/cancel`, { session_hash: 'sess1', fn_index: 2, event_id: id });
        }
        return false;
      });
      const done = msgs(r).find((m) => m.msg === 'process_completed')!;
      expect(done).toMatchObject({ event_id: id, output: {}, success: true });
      expect(msgs(r).at(-1)!.msg).toBe('close_stream');
      expect(s.jobs[0]!.state).toBe('cancelled');
    });
  });

  describe('hub and HF proxy', () => {
    it('answers /api/spaces/{id} for its hub; an unknown id is 404', async () => {
      const s = await space(v, { spaceId: 'owner/name' });
      const info = (await (await fetch(`${s.url}/api/spaces/owner/name`)).json()) as Record<string, unknown>;
      expect(info).toMatchObject({ id: 'owner/name', author: 'owner', sdk: 'gradio', runtime: { stage: 'RUNNING' } });
      const missing = await fetch(`${s.url}/api/spaces/owner/other`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: 'Repository not found' });
    });

    it('a paused Space: 503 text from the proxy on its own routes; the hub still answers', async () => {
      const s = await space(v);
      s.setStage('PAUSED');
      const config = await fetch(`${s.url}/config`);
      expect(config.status).toBe(503);
      expect(await config.text()).toBe('The space is paused, ask a maintainer to restart it');
      const join = await post(`${s.url}${P(v)}/queue/join`, { data: DEV(), fn_index: 2, session_hash: 'a' });
      expect(join.status).toBe(503);
      const info = (await (await fetch(`${s.url}/api/spaces/${s.spaceId}`)).json()) as { runtime: { stage: string } };
      expect(info.runtime.stage).toBe('PAUSED');
    });

    it('a sleeping Space answers an HTML 503 and wakes after the given polls', async () => {
      const s = await space(v);
      s.setStage('SLEEPING', { wakeAfterPolls: 2 });
      const page = await fetch(`${s.url}/config`);
      expect(page.status).toBe(503);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      await page.text();
      const stages: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = (await (await fetch(`${s.url}/api/spaces/${s.spaceId}`)).json()) as { runtime: { stage: string } };
        stages.push(r.runtime.stage);
      }
      expect(stages).toEqual(['SLEEPING', 'SLEEPING', 'RUNNING']);
      expect((await fetch(`${s.url}/config`)).status).toBe(200);
    });

    it('a visit starts the wake-up timer of a sleeping Space', async () => {
      const s = await space(v);
      s.setStage('SLEEPING', { wakeAfterMs: 20 });
      await (await fetch(`${s.url}/config`)).text();
      await expect.poll(() => s.hub.stage(s.spaceId)).toBe('RUNNING');
    });

    it('the rate-limit fault answers 429 like the HF proxy', async () => {
      const s = await space(v);
      s.setFault({ route: 'config', kind: 'rate-limit' }, { times: 1 });
      const r = await fetch(`${s.url}/config`);
      expect(r.status).toBe(429);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    });
  });
});

describe('defaults', () => {
  it('heartbeats every 15 s as upstream; default version 5.49; the stages are listed', async () => {
    expect(DEFAULT_TIMING.heartbeatMs).toBe(15_000);
    const s = await startFakeSpace();
    open.push(s);
    expect(s.version).toBe('5.49');
    expect(SPACE_STAGES).toContain('RUNNING_BUILDING');
  });

  it('startFakeSpaces: the provider layouts and ids on one hub, answered by every server', async () => {
    const all: FakeSpaces = await startFakeSpaces({ timing: FAST });
    open.push(all);
    for (const [id, s] of Object.entries(all.spaces)) {
      const want = PROVIDER_SPACES[id as keyof typeof PROVIDER_SPACES];
      const config = (await (await fetch(`${s.url}/config`)).json()) as Record<string, unknown>;
      expect(config.space_id).toBe(want.spaceId);
      const dep = (config.dependencies as { api_name: string; inputs: number[] }[]).find(
        (d) => d.api_name === 'infer',
      )!;
      expect(dep.inputs).toHaveLength(want.layout === 'dev' ? 7 : 6);
      for (const other of Object.values(PROVIDER_SPACES)) {
        expect((await fetch(`${s.url}/api/spaces/${other.spaceId}`)).status).toBe(200);
      }
    }
    all.spaces['voodoohop-flux1-schnell'].setStage('BUILDING');
    const seen = (await (await fetch(`${all.hfUrl}/api/spaces/voodoohop/FLUX.1-schnell`)).json()) as {
      runtime: { stage: string };
    };
    expect(seen.runtime.stage).toBe('BUILDING');
    expect(all.hub.stage('voodoohop/FLUX.1-schnell')).toBe('BUILDING');
  });

  it('a Space given a hub registers on it', async () => {
    const hub = createFakeHub();
    const s = await startFakeSpace({ hub, spaceId: 'a/b', layout: 'schnell' });
    open.push(s);
    expect(hub.has('a/b')).toBe(true);
    expect(hub.spaces()[0]).toMatchObject({ id: 'a/b', stage: 'RUNNING', host: s.url });
  });
});
