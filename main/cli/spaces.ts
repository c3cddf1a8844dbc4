/**
 * `spaces`: read a Gradio Space and add it as a provider, through the same core as the app.
 *   flux-gallery spaces inspect URL [--json]
 *   flux-gallery spaces add URL [--endpoint NAME] [--map NAME=PARAM ...] [--label TEXT] [--alias A ...] [--json]
 *   flux-gallery spaces list [--json]
 *   flux-gallery spaces remove ID
 * `add` and `remove` change the app's settings (`--data`); `inspect` and `list` change nothing.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError, toErrorInfo } from '../../shared/errors';
import { MODEL_ALIASES, type ModelAlias } from '../../shared/params';
import {
  SPACE_PARAMS,
  type SavedSpace,
  type SpaceEndpoint,
  type SpaceInspection,
  type SpaceMapping,
  type SpaceParam,
} from '../../shared/spaces';
import { defaultDataDir, defaultLibraryDir, homeOf } from '../app-dirs';
import { createCore, type Core } from '../core';
import { pickEndpoint } from '../providers/saved-space';
import { EXIT } from './generate';
import type { CliIo } from './output';

export const SPACES_USAGE = `spaces commands:
  spaces inspect URL    Read a Gradio Space: its text-to-image endpoints and how their inputs map
                        to the app's parameters (URL: owner/name, a huggingface.co/spaces page,
                        a *.hf.space or a local URL). Nothing is saved.
  spaces add URL        Add it as a provider (space:owner/name) in the app's settings
  spaces list           The Spaces added
  spaces remove ID      Remove one (space:owner/name)

options:
  --endpoint NAME       add: the endpoint to use (its api name, or #N for fn_index N)
  --map NAME=PARAM      add: map the input NAME (its name, label or position) to PARAM, one of
                        ${SPACE_PARAMS.join(', ')}, or none (repeat for several)
  --label TEXT          add: the name shown in the app
  --alias ALIAS         add: route this model alias to it too (${MODEL_ALIASES.join(', ')}; repeatable)
  --hf-url URL --proxy URL
  --data DIR            The app's settings folder (default: the desktop app's own)
  --json                One JSON object

Environment: HF_TOKEN — for private Spaces (never printed).`;

const OPTIONS = {
  endpoint: { type: 'string' },
  map: { type: 'string', multiple: true },
  label: { type: 'string' },
  alias: { type: 'string', multiple: true },
  'hf-url': { type: 'string' },
  proxy: { type: 'string' },
  data: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

export async function runSpaces(argv: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true }));
  } catch (err) {
    io.stderr(`Error: ${err instanceof Error ? err.message.replace(/\. To specify.*$/s, '.') : String(err)}`);
    return EXIT.usage;
  }
  const [sub, target, ...rest] = positionals;
  if (values.help || !sub || sub === 'help') {
    io.stdout(SPACES_USAGE);
    return EXIT.ok;
  }
  const usage = (message: string) => {
    io.stderr(`Error: ${message}\nRun "flux-gallery spaces --help" for the options.`);
    return EXIT.usage;
  };
  if (!['inspect', 'add', 'list', 'remove'].includes(sub)) return usage(`Unknown spaces command "${sub}".`);
  if (rest.length > 0) return usage(`Unexpected argument "${rest[0]}".`);
  if (sub !== 'list' && !target) return usage(`spaces ${sub} needs ${sub === 'remove' ? 'an id' : 'a URL'}.`);
  const aliases = values.alias ?? [];
  const badAlias = aliases.find((a) => !(MODEL_ALIASES as readonly string[]).includes(a));
  if (badAlias) return usage(`--alias must be one of ${MODEL_ALIASES.join(', ')}, got "${badAlias}".`);

  let core: Core | null = null;
  try {
    core = await createCore({
      dataDir: path.resolve(values.data ?? defaultDataDir(env)),
      defaultLibraryDir: defaultLibraryDir({ home: homeOf(env) }),
      transport: 'cli',
      appVersion: process.env.npm_package_version ?? '0.0.0',
      overrides: {
        ...(env.HF_TOKEN?.trim() ? { hfToken: env.HF_TOKEN.trim() } : {}),
        ...(values['hf-url'] ? { hfUrl: values['hf-url'] } : {}),
        ...(values.proxy ? { proxy: values.proxy } : {}),
      },
      libraryOpen: { scanOnOpen: false, purgeLeftoversOnOpen: false },
      log: () => {},
    });
    const json = values.json ?? false;
    switch (sub) {
      case 'inspect': {
        const inspection = await core.inspectSpace(target!);
        io.stdout(json ? JSON.stringify(inspection) : describeInspection(inspection));
        return EXIT.ok;
      }
      case 'add': {
        const inspection = await core.inspectSpace(target!);
        const endpoint = pickEndpoint(inspection, values.endpoint);
        const mapping = applyMaps(endpoint, values.map ?? []);
        const saved = await invoke<SavedSpace>(core, 'spaces:add', {
          url: target!,
          ...(values.endpoint ? { endpoint: values.endpoint } : {}),
          mapping,
          ...(values.label ? { label: values.label } : {}),
          aliases: aliases as ModelAlias[],
        });
        io.stdout(
          json ? JSON.stringify(saved) : `Added ${saved.label} as ${saved.id}.\n${describeEndpoint(saved.endpoint)}`,
        );
        return EXIT.ok;
      }
      case 'list': {
        const list = core.settings.get().customSpaces;
        if (json) io.stdout(JSON.stringify({ spaces: list }));
        else if (list.length === 0) io.stdout('No Spaces added.');
        else
          for (const s of list)
            io.stdout(`${s.id}  ${s.label}  ${s.baseUrl}  ${s.aliases.join(', ') || '(pinned only)'}`);
        return EXIT.ok;
      }
      default: {
        const { removed } = await invoke<{ removed: boolean }>(core, 'spaces:remove', { id: target! });
        if (!removed) throw new AppError('not-found', `No Space "${target}" has been added.`);
        io.stdout(json ? JSON.stringify({ removed: target }) : `Removed ${target}.`);
        return EXIT.ok;
      }
    }
  } catch (err) {
    const info = toErrorInfo(err);
    if (values.json) io.stdout(JSON.stringify({ type: 'failed', error: info }));
    io.stderr(`Error: ${info.message}`);
    return info.code === 'invalid-argument' ? EXIT.usage : EXIT.failed;
  } finally {
    await core?.dispose();
  }
}

/** A channel of the core's router, as the app calls it (arguments validated by the contract). */
async function invoke<R>(core: Core, channel: 'spaces:add' | 'spaces:remove', args: unknown): Promise<R> {
  const answer = await core.router.invoke(channel, args, { transport: 'cli' });
  if (!answer.ok) throw new AppError(answer.error.code, answer.error.message);
  return answer.value as R;
}

/** `--map NAME=PARAM` on top of the proposed mapping: NAME is an input's key, label or position. */
export function applyMaps(endpoint: SpaceEndpoint, maps: readonly string[]): SpaceMapping {
  let mapping = [...endpoint.mapping];
  for (const m of maps) {
    const eq = m.indexOf('=');
    if (eq <= 0) throw new AppError('invalid-argument', `--map takes NAME=PARAM, got "${m}".`);
    const name = m.slice(0, eq).trim();
    const param = m.slice(eq + 1).trim();
    const input =
      endpoint.inputs.find((i) => i.key === name) ??
      endpoint.inputs.find((i) => i.label?.toLowerCase() === name.toLowerCase()) ??
      (/^\d+$/.test(name) ? endpoint.inputs.find((i) => i.index === Number(name)) : undefined);
    if (!input) {
      const names = endpoint.inputs.map((i) => i.key).join(', ');
      throw new AppError('invalid-argument', `--map: the endpoint has no input "${name}" (it has ${names}).`);
    }
    if (param !== 'none' && !(SPACE_PARAMS as readonly string[]).includes(param)) {
      throw new AppError('invalid-argument', `--map: "${param}" is not one of ${SPACE_PARAMS.join(', ')} or none.`);
    }
    mapping = mapping.filter((x) => x.index !== input.index && x.param !== param);
    if (param !== 'none') mapping.push({ index: input.index, param: param as SpaceParam });
  }
  return mapping;
}

function describeInspection(s: SpaceInspection): string {
  const lines = [
    `${s.label}${s.spaceId ? ` (${s.spaceId})` : ''} at ${s.baseUrl}${s.gradioVersion ? `, Gradio ${s.gradioVersion}` : ''}`,
    `Saved as: ${s.providerId}`,
  ];
  s.endpoints.forEach((e, i) => lines.push('', `${describeEndpoint(e)}${i === 0 ? '\n  (proposed)' : ''}`));
  if (s.fileInputEndpoints.length > 0) {
    lines.push('', `Not usable (they need an input file): ${s.fileInputEndpoints.map((n) => `/${n}`).join(', ')}`);
  }
  return lines.join('\n');
}

function describeEndpoint(e: SpaceEndpoint): string {
  const name = e.apiName ? `/${e.apiName}` : `#${e.fnIndex}`;
  const rows = e.inputs.map((i) => {
    const mapped = e.mapping.find((m) => m.index === i.index)?.param;
    const limits = i.minimum !== undefined && i.maximum !== undefined ? ` ${i.minimum}..${i.maximum}` : '';
    const choices = i.choices ? ` [${i.choices.map((c) => c.label).join(' | ')}]` : '';
    const what = mapped ? `→ ${mapped}` : `extra, default ${JSON.stringify(i.default)}${limits}${choices}`;
    return `  ${String(i.index).padStart(2)} ${i.key.padEnd(22)} ${i.kind.padEnd(9)} ${what}`;
  });
  return [`Endpoint ${name}`, ...rows].join('\n');
}
