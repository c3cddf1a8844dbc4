/**
 * The prompt history, presets and styles behind the contract: the `prompts:*`, `presets:*` and
 * `styles:*` handlers, and what `jobs:start` does around the job runner (the style applied first,
 * every prompt recorded once the jobs are made).
 */
import type { CallContext, InvokeHandlers } from '../ipc/router';
import { applyStyle, promptsOf, type StartRequest } from './apply';
import { createPresetStore, type PresetStore } from './presets';
import { createPromptHistory, type PromptHistory } from './prompt-history';
import type { StoreFactory } from '../store';

export type PromptChannel =
  | 'prompts:list'
  | 'prompts:pin'
  | 'prompts:delete'
  | 'prompts:clear'
  | 'presets:list'
  | 'presets:save'
  | 'presets:delete'
  | 'styles:save'
  | 'styles:delete'
  | 'presets:export'
  | 'presets:import';

export interface PromptServices {
  history: PromptHistory;
  presets: PresetStore;
  handlers: Pick<InvokeHandlers, PromptChannel>;
  /**
   * `jobs:start` as the core answers it, wrapped: the style applied to the request (an unknown one
   * refused in words), then the jobs made, then each prompt recorded as typed (with the style's
   * name), failed and cancelled jobs' too. A request refused before any job is made is not recorded.
   */
  wrapStart(start: InvokeHandlers['jobs:start']): InvokeHandlers['jobs:start'];
}

export function createPromptServices(opts: {
  dataDir: string;
  storeFactory: StoreFactory;
  log: (message: string, err?: unknown) => void;
  now?: () => number;
}): PromptServices {
  const history = createPromptHistory(opts);
  const presets = createPresetStore(opts);
  const handlers: Pick<InvokeHandlers, PromptChannel> = {
    'prompts:list': (q) => ({ items: history.list(q) }),
    'prompts:pin': ({ id, pinned }) => history.pin(id, pinned),
    'prompts:delete': ({ id }) => ({ deleted: history.delete(id) }),
    'prompts:clear': (args) => ({ cleared: history.clear(args?.keepPinned ?? true) }),
    'presets:list': () => presets.state(),
    'presets:save': (preset) => presets.savePreset(preset),
    'presets:delete': ({ name }) => presets.deletePreset(name),
    'styles:save': (style) => presets.saveStyle(style),
    'styles:delete': ({ name }) => presets.deleteStyle(name),
    'presets:export': () => ({ json: presets.exportJson() }),
    'presets:import': ({ json }) => presets.importJson(json),
  };
  const record = (req: StartRequest) => {
    for (const params of promptsOf(req)) {
      try {
        history.record(params);
      } catch (err) {
        // The jobs are made: a history that cannot be written must not fail them.
        opts.log('prompt history: a prompt could not be recorded', err);
      }
    }
  };
  return {
    history,
    presets,
    handlers,
    wrapStart: (start) => async (req: StartRequest, ctx: CallContext) => {
      const styled = applyStyle(req, (name) => presets.style(name));
      const result = await start(styled, ctx);
      // As typed, with the style's name as saved.
      record({ ...req, params: { ...req.params, ...(styled.params.style ? { style: styled.params.style } : {}) } });
      return result;
    },
  };
}
