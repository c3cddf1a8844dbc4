/**
 * What the app knows of each provider's Space: Hugging Face's `runtime.stage` (read from
 * `{hfUrl}/api/spaces/{id}`, as the official JS client's `check_space_status` does), the slider
 * limits and API its `/config` announced. One instance per core.
 *
 * Before a Space's first job, and after a config or join failure, the stage is read: a sleeping,
 * building or starting Space is waited for (polling, bounded, cancellable); a paused one is a
 * permanent error and a broken one too, and routing skips both until the user retries them. A
 * stage that cannot be read (no such Space on that hub, network) is "unknown" and the job goes on.
 */
import type { ProviderInfo, SpaceHealth, SpaceState } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { JobStatus } from '../../shared/events';
import type { ProviderId } from '../../shared/params';
import { DEFAULT_SIZE_LIMITS, type SizeLimits } from '../../shared/sizes';
import { abortableSleep } from './abortable-sleep';
import { spacePath } from './space-origin';
import { requestJson, type HttpOptions } from './gradio/http';

/** `runtime.stage` → what it means for a job (helpers/spaces.ts `check_space_status`). */
export function healthOf(stage: string | null): SpaceHealth {
  switch (stage) {
    case 'RUNNING':
    case 'RUNNING_BUILDING':
      return 'running';
    case 'SLEEPING':
    case 'STOPPED':
      return 'sleeping';
    case 'BUILDING':
    case 'APP_STARTING':
      return 'starting';
    case 'PAUSED':
      return 'paused';
    case null:
      return 'unknown';
    default:
      // RUNTIME_ERROR, BUILD_ERROR, CONFIG_ERROR, NO_APP_FILE, and any stage the client does not know.
      return 'broken';
  }
}

export interface SpaceProbe {
  providerId: ProviderId;
  label: string;
  /** `owner/name`, or `by-subdomain/<sub>` for a `*.hf.space` host. */
  spaceId: string | null;
  hfUrl: string;
  /** The Space host: a request to it wakes a sleeping Space. */
  baseUrl: string;
  hfToken: string | null;
  http: HttpOptions;
}

export interface SpaceStatesOptions {
  /** Between two reads of a starting Space's stage (ms). Default 2 s (the JS client polls every 1 s). */
  pollMs?: number;
  /** How long a job waits for a Space to wake (ms). Default 5 min. */
  wakeTimeoutMs?: number;
  now?: () => number;
}

interface Entry {
  state: SpaceState;
  /** Read the stage before the next job. */
  due: boolean;
  limits: SizeLimits;
  protocol: ProviderInfo['protocol'] | null;
}

export interface SpaceStates {
  get(id: ProviderId): SpaceState;
  limits(id: ProviderId): SizeLimits;
  protocol(id: ProviderId): ProviderInfo['protocol'] | null;
  /** Reads the stage now (never throws but for a cancel). */
  check(probe: SpaceProbe): Promise<SpaceState>;
  /**
   * Before a job: reads the stage on first use or after `flag`; yields a `space-starting` status and
   * waits while the Space wakes; throws `space-paused` / `space-broken` / `space-asleep`.
   */
  ensureReady(probe: SpaceProbe): AsyncGenerator<{ type: 'status'; status: JobStatus }, void, void>;
  /** A config or join failure: read the stage again before the next attempt. */
  flag(id: ProviderId): void;
  /** The error that makes routing skip this provider, or null. */
  skipReason(id: ProviderId, label: string): AppError | null;
  /** The user asks to try a paused or broken Space again. */
  retry(id: ProviderId): void;
  noteSpace(id: ProviderId, info: { limits: SizeLimits; protocol: ProviderInfo['protocol'] }): void;
  onChange(listener: (id: ProviderId) => void): () => void;
}

const sameLimits = (a: SizeLimits, b: SizeLimits) => a.min === b.min && a.max === b.max && a.step === b.step;

export function createSpaceStates(opts: SpaceStatesOptions = {}): SpaceStates {
  const pollMs = opts.pollMs ?? 2000;
  const wakeTimeoutMs = opts.wakeTimeoutMs ?? 5 * 60_000;
  const now = opts.now ?? Date.now;
  const entries = new Map<ProviderId, Entry>();
  const listeners = new Set<(id: ProviderId) => void>();

  const entry = (id: ProviderId): Entry => {
    let e = entries.get(id);
    if (!e) {
      e = {
        state: { health: 'unknown', stage: null, checkedAt: null, skipped: false },
        due: true,
        limits: DEFAULT_SIZE_LIMITS,
        protocol: null,
      };
      entries.set(id, e);
    }
    return e;
  };
  const changed = (id: ProviderId) => {
    for (const l of [...listeners]) {
      try {
        l(id);
      } catch {
        // A listener's failure is its own.
      }
    }
  };
  const set = (id: ProviderId, next: Partial<SpaceState>) => {
    const e = entry(id);
    const before = e.state;
    e.state = { ...before, ...next };
    if (before.health !== e.state.health || before.stage !== e.state.stage || before.skipped !== e.state.skipped)
      changed(id);
  };

  async function readStage(probe: SpaceProbe): Promise<string | null> {
    if (!probe.spaceId) return null;
    try {
      const res = await requestJson<{ runtime?: { stage?: unknown } }>(
        `${probe.hfUrl}/api/spaces/${probe.spaceId.startsWith('by-subdomain/') ? probe.spaceId : spacePath(probe.spaceId)}`,
        // Hugging Face's own API: the user's token belongs to this origin (private Spaces need it).
        {
          expected: "the Space's state",
          ...(probe.hfToken ? { headers: { authorization: `Bearer ${probe.hfToken}` } } : {}),
        },
        { ...probe.http, idleTimeoutMs: Math.min(probe.http.idleTimeoutMs, 15_000) },
        'Hugging Face',
      );
      const stage = res.data?.runtime?.stage;
      return typeof stage === 'string' && /^[A-Z_]{1,40}$/.test(stage) ? stage : null;
    } catch (err) {
      if (probe.http.signal.aborted) throw new AppError('cancelled', 'Cancelled.', { cause: err });
      return null;
    }
  }

  async function check(probe: SpaceProbe): Promise<SpaceState> {
    const stage = await readStage(probe);
    const health = healthOf(stage);
    const e = entry(probe.providerId);
    // Paused and broken stay skipped until the user retries; a Space found running is tried again.
    const skipped = health === 'paused' || health === 'broken' ? true : health === 'running' ? false : e.state.skipped;
    set(probe.providerId, { health, stage, checkedAt: now(), skipped });
    return entry(probe.providerId).state;
  }

  function blocked(probe: SpaceProbe, state: SpaceState): AppError | null {
    const { label, providerId } = probe;
    if (state.health === 'paused')
      return new AppError(
        'space-paused',
        `${label} is paused by its author; only they can restart it. It is skipped until you retry it in Settings.`,
        { providerId },
      );
    if (state.health === 'broken')
      return new AppError(
        'space-broken',
        `${label} is broken (${state.stage ?? 'error'}). It is skipped until you retry it in Settings.`,
        { providerId },
      );
    return null;
  }

  /** A visit wakes a sleeping Space (Hugging Face starts it on a request to its host). */
  async function visit(probe: SpaceProbe): Promise<void> {
    try {
      await requestJson(
        `${probe.baseUrl}/config`,
        { expected: 'the app config' },
        { ...probe.http, idleTimeoutMs: 10_000 },
        'The Space',
      );
    } catch {
      // Expected while it starts: the answer does not matter, the request does.
    }
  }

  return {
    get: (id) => ({ ...entry(id).state }),
    limits: (id) => entry(id).limits,
    protocol: (id) => entry(id).protocol,
    check,
    async *ensureReady(probe) {
      const e = entry(probe.providerId);
      if (!e.due) return;
      let state = await check(probe);
      const deadline = now() + wakeTimeoutMs;
      let visited = false;
      let announced: string | null = null;
      while (state.health === 'sleeping' || state.health === 'starting') {
        if (state.stage !== announced) {
          announced = state.stage;
          yield {
            type: 'status',
            status: { code: 'space-starting', params: { stage: state.stage ?? '' } },
          };
        }
        if (!visited && state.health === 'sleeping') {
          visited = true;
          await visit(probe);
        }
        if (now() >= deadline) {
          throw new AppError(
            'space-asleep',
            `${probe.label} did not wake up within ${Math.round(wakeTimeoutMs / 1000)} s. Try again later, or another provider.`,
            { providerId: probe.providerId },
          );
        }
        await abortableSleep(pollMs, probe.http.signal);
        state = await check(probe);
      }
      const error = blocked(probe, state);
      if (error) throw error;
      e.due = false;
    },
    flag: (id) => void (entry(id).due = true),
    skipReason(id, label) {
      const state = entry(id).state;
      if (!state.skipped) return null;
      return blocked({ providerId: id, label } as SpaceProbe, state);
    },
    retry(id) {
      const e = entry(id);
      e.due = true;
      set(id, { skipped: false });
    },
    noteSpace(id, info) {
      const e = entry(id);
      const differs = !sameLimits(e.limits, info.limits) || e.protocol !== info.protocol;
      e.limits = info.limits;
      e.protocol = info.protocol;
      if (differs) changed(id);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
