/**
 * The contract's channel names, without their schemas: the sandboxed preload needs only these, and
 * keeping zod out of it keeps the preload small (it loads with every window). `contract.ts`
 * attaches a schema to each name and fails to compile if the two lists ever differ.
 */

/*
 * Naming: `domain:verb` for requests (`history:setFavourite`, camelCase after the colon) and
 * `domain:pastTense` for events (`history:added`, `jobs:updated`): a request asks, an event tells.
 */

/** Renderer → main, with a result. */
export const INVOKE_CHANNEL_NAMES = [
  'app:info',
  'settings:get',
  'settings:update',
  'settings:chooseLibraryDir',
  'models:list',
  'jobs:start',
  'jobs:cancel',
  'jobs:cancelAll',
  'jobs:list',
  'history:query',
  'history:get',
  'history:delete',
  'history:undoDelete',
  'history:setFavourite',
  'history:reveal',
  'history:copyImage',
  'history:reuse',
  'image:import',
  'providers:check',
  'providers:retry',
  'library:status',
  'library:retry',
  'spaces:inspect',
  'spaces:add',
  'spaces:update',
  'spaces:remove',
  'jobs:pause',
  'jobs:resume',
  'jobs:queueState',
  'jobs:move',
  'jobs:retry',
  'jobs:retryFailed',
  'prompts:list',
  'prompts:pin',
  'prompts:delete',
  'prompts:clear',
  'presets:list',
  'presets:save',
  'presets:delete',
  'styles:save',
  'styles:delete',
  'presets:export',
  'presets:import',
  'history:setRating',
  'history:listIds',
  'history:bulk',
  'history:undoBulkDelete',
  'boards:list',
  'boards:create',
  'boards:rename',
  'boards:setAutoAdd',
  'boards:delete',
  'export:start',
  'export:cancel',
  'export:chooseDestination',
  'library:importPaths',
  'library:importCancel',
  'library:chooseImportPaths',
] as const;

/** Renderer → main, fire and forget. */
export const SEND_CHANNEL_NAMES = ['drag:start'] as const;

/** Main → renderer. */
export const EVENT_CHANNELS = [
  'jobs:updated',
  'history:bulkProgressed',
  'history:bulkUpdated',
  'boards:changed',
  'export:progressed',
  'export:finished',
  'library:importProgressed',
  'library:importFinished',
  'history:added',
  'history:updated',
  'history:removed',
  'settings:changed',
  'library:switched',
  'providers:changed',
  'library:statusChanged',
  'jobs:queueChanged',
  'notifications:posted',
  'notifications:clicked',
  'menu:invoked',
] as const;

export type InvokeChannel = (typeof INVOKE_CHANNEL_NAMES)[number];
export type SendChannel = (typeof SEND_CHANNEL_NAMES)[number];
export type EventChannel = (typeof EVENT_CHANNELS)[number];

const isOneOf =
  <T extends string>(names: readonly T[]) =>
  (c: unknown): c is T =>
    typeof c === 'string' && (names as readonly string[]).includes(c);

export const isInvokeChannel = isOneOf(INVOKE_CHANNEL_NAMES);
export const isSendChannel = isOneOf(SEND_CHANNEL_NAMES);
export const isEventChannel = isOneOf(EVENT_CHANNELS);

/** The Electron IPC channel names used by preload and main glue (one per direction). */
export const IPC = {
  invoke: 'flux:invoke',
  send: 'flux:send',
  event: 'flux:event',
} as const;
