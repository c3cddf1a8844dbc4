/** Entry of the headless CLI (bundled to out/main/cli.mjs): plain Node, no Electron. */
import { runCli } from './run';

const controller = new AbortController();
let interruptedAt = 0;
process.on('SIGINT', () => {
  // First Ctrl+C cancels cleanly (the Space is told to stop); a later one quits at once. Some
  // dependencies (when-exit, via conf) re-raise the signal right away: that echo is not a second press.
  if (interruptedAt && Date.now() - interruptedAt > 1000) process.exit(130);
  interruptedAt ||= Date.now();
  controller.abort();
});

const io = {
  stdout: (line: string) => void process.stdout.write(`${line}\n`),
  stderr: (line: string) => void process.stderr.write(`${line}\n`),
};

try {
  process.exitCode = await runCli(process.argv.slice(2), io, process.env, controller.signal);
} catch (err) {
  io.stderr(`Error: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
