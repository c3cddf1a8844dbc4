/**
 * Which Inference Provider serves a model: the Hub's provider mapping, read as the official client
 * reads it (`@huggingface/inference` 4.13.30, `lib/getInferenceProviderMapping.ts`
 * `fetchInferenceProviderMappingForModel`): `GET {hub}/api/models/{id}?expand[]=inferenceProviderMapping`,
 * the answer's `inferenceProviderMapping` either a list of `{provider, providerId, status, task, …}`
 * or (older Hubs) an object keyed by provider; 404 and a missing mapping mean no provider.
 *
 * Unlike the client, the app keeps no mapping between jobs (the client's cache is module-wide,
 * never expires and ignores which Hub answered), sends the token when it has one for the Hub, and
 * for `auto` takes the first provider that serves the model *for text-to-image* and is live (the
 * client takes the list's first entry whatever its task or status, and asks without the token).
 */
import { AppError } from '../../../shared/errors';
import { exchange, parseJson, plainHttpError, reason, type InferenceHttp } from './http';

export interface MappingEntry {
  provider: string;
  /** The model's name at the provider (`fal-ai/flux/dev`). */
  providerId: string;
  hfModelId: string;
  status: 'live' | 'staging';
  task: string;
  adapter?: string;
  adapterWeightsPath?: string;
}

const MAX_MAPPING_BYTES = 1024 * 1024;

export const mappingUrl = (hubUrl: string, model: string): string =>
  `${hubUrl}/api/models/${model.split('/').map(encodeURIComponent).join('/')}?expand[]=inferenceProviderMapping`;

/** The model's providers in the Hub's order. */
export async function fetchMapping(
  hubUrl: string,
  model: string,
  hubToken: string | null,
  http: InferenceHttp,
): Promise<MappingEntry[]> {
  const what = 'Hugging Face';
  const ex = await exchange(
    mappingUrl(hubUrl, model),
    {
      method: 'GET',
      headers: { accept: 'application/json', ...(hubToken ? { authorization: `Bearer ${hubToken}` } : {}) },
      waitMs: http.idleTimeoutMs,
      maxBytes: MAX_MAPPING_BYTES,
      what,
      onError: (status, detail) => {
        const extra = { status, providerId: http.providerId };
        if (status === 401) {
          return new AppError(
            'token-refused',
            `Hugging Face refused the token (${reason(status)}): check it in Settings.`,
            extra,
          );
        }
        if (status === 404) {
          return new AppError(
            'model-not-served',
            `Hugging Face does not know the model ${model} (or it is private).`,
            extra,
          );
        }
        return plainHttpError(what, status, detail, http.providerId);
      },
    },
    http,
  );
  const json = parseJson(ex, what, "the model's providers", http.providerId);
  const raw =
    json && typeof json === 'object'
      ? (json as { inferenceProviderMapping?: unknown }).inferenceProviderMapping
      : undefined;
  if (raw === undefined || raw === null) {
    throw new AppError('model-not-served', `No Inference Provider serves ${model}.`, { providerId: http.providerId });
  }
  return normalize(model, raw);
}

/** The list form, from either shape (`normalizeInferenceProviderMapping` in the client). */
export function normalize(model: string, raw: unknown): MappingEntry[] {
  const items: unknown[] = Array.isArray(raw)
    ? raw
    : raw && typeof raw === 'object'
      ? Object.entries(raw as Record<string, unknown>).map(([provider, m]) =>
          m && typeof m === 'object' ? { ...(m as object), provider } : null,
        )
      : [];
  const out: MappingEntry[] = [];
  for (const item of items) {
    if (!item || typeof item !== 'object') continue;
    const o = item as Record<string, unknown>;
    if (typeof o.provider !== 'string' || typeof o.providerId !== 'string' || typeof o.task !== 'string') continue;
    out.push({
      provider: o.provider,
      providerId: o.providerId,
      hfModelId: typeof o.hfModelId === 'string' ? o.hfModelId : model,
      status: o.status === 'staging' ? 'staging' : 'live',
      task: o.task,
      ...(typeof o.adapter === 'string' ? { adapter: o.adapter } : {}),
      ...(typeof o.adapterWeightsPath === 'string' ? { adapterWeightsPath: o.adapterWeightsPath } : {}),
    });
  }
  return out;
}

const TASK = 'text-to-image';

/**
 * The entry a job uses: the named provider's (staging allowed, as the client allows it), or for
 * `auto` the first live text-to-image entry of a provider the app can call.
 */
export function chooseEntry(
  entries: readonly MappingEntry[],
  wanted: string,
  model: string,
  canCall: (provider: string) => boolean,
  providerId: string,
): MappingEntry {
  const fail = (message: string) => new AppError('model-not-served', message, { providerId });
  const list = (es: readonly MappingEntry[]) => es.map((e) => e.provider).join(', ');
  if (wanted !== 'auto') {
    const e = entries.find((x) => x.provider === wanted);
    if (!e) {
      const others = entries.filter((x) => x.task === TASK);
      throw fail(
        `The provider ${wanted} does not serve ${model}${others.length ? ` (it is served by ${list(others)})` : ''}.`,
      );
    }
    if (e.task !== TASK) throw fail(`${wanted} serves ${model} as ${e.task}, not text-to-image.`);
    if (!canCall(wanted)) throw fail(`The app cannot ask ${wanted} for images yet; choose another provider.`);
    return e;
  }
  const forTask = entries.filter((x) => x.task === TASK);
  if (forTask.length === 0) {
    throw fail(
      entries.length === 0
        ? `No Inference Provider serves ${model}.`
        : `${model} is served as ${entries[0]!.task}, not text-to-image.`,
    );
  }
  const chosen = forTask.find((x) => x.status === 'live' && canCall(x.provider));
  if (!chosen) {
    throw fail(`No provider the app can call serves ${model} for images now (listed: ${list(forTask)}).`);
  }
  return chosen;
}
