/** The CLI without process globals: argv in, exit code out (tests call it directly too). */
import { buildProviders } from '../providers/provider-set';
import { listModels, listProviders } from '../providers/registry';
import { readSavedSettings } from '../settings/saved-settings';
import { providerSettingsOf } from '../settings/settings-service';
import { parseCommand, USAGE, UsageError } from './args';
import { EXIT, runGenerate } from './generate';
import { runHistory } from './history';
import { runBoards } from './boards';
import { runExportCommand } from './export';
import { runImport } from './import';
import { runQueue } from './queue';
import { runSpaces } from './spaces';
import { safeIo, type CliIo } from './output';

export async function runCli(
  argv: string[],
  rawIo: CliIo,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
): Promise<number> {
  const io = safeIo(rawIo);
  // `history` has its own options (main/cli/history.ts).
  if (argv[0] === 'history') return runHistory(argv.slice(1), io, env);
  if (argv[0] === 'export') return runExportCommand(argv.slice(1), io, env, signal);
  if (argv[0] === 'import') return runImport(argv.slice(1), io, env, signal);
  if (argv[0] === 'boards') return runBoards(argv.slice(1), io, env);
  if (argv[0] === 'spaces') return runSpaces(argv.slice(1), io, env);
  if (argv[0] === 'queue') return runQueue(argv.slice(1), io, env);
  let cmd;
  try {
    cmd = parseCommand(argv, env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`Error: ${err.message}\nRun "flux-gallery help" for the options.`);
    return EXIT.usage;
  }
  switch (cmd.command) {
    case 'help':
      io.stdout(USAGE);
      return EXIT.ok;
    case 'models': {
      // Read only: the Spaces and inference models the app's settings hold, in routing's order.
      const saved = providerSettingsOf(await readSavedSettings(cmd.dataDir));
      const set = buildProviders(saved);
      const models = listModels(set, {
        aliasOrder: saved.aliasOrder,
        inferenceAliases: saved.inference.fallbackAliases,
      });
      const providers = listProviders({}, undefined, set);
      if (cmd.json) io.stdout(JSON.stringify({ models, providers }));
      else for (const m of models) io.stdout(`${m.alias}: ${m.providers.join(', ')}`);
      return EXIT.ok;
    }
    case 'generate':
      return runGenerate(cmd, io, env, signal);
  }
}
