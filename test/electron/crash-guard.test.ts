/** A crashed renderer is reloaded a few times a minute, then the user is told; hangs are logged. */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { watchRenderer } from '../../main/electron/crash-guard';

function setup() {
  const contents = new EventEmitter();
  const win = new EventEmitter();
  let t = 0;
  const deps = { reload: vi.fn(), giveUp: vi.fn(), log: vi.fn(), now: () => t };
  watchRenderer(contents as never, win as never, deps);
  const crash = (reason = 'crashed') => contents.emit('render-process-gone', {}, { reason, exitCode: 139 });
  return { deps, crash, win, advance: (ms: number) => (t += ms) };
}

describe('renderer crash guard', () => {
  it('reloads a crashed page, up to three times a minute, then gives up in words', () => {
    const { deps, crash, advance } = setup();
    crash();
    crash('oom');
    crash();
    expect(deps.reload).toHaveBeenCalledTimes(3);
    crash();
    expect(deps.reload).toHaveBeenCalledTimes(3);
    expect(deps.giveUp).toHaveBeenCalledWith(expect.stringMatching(/crashed 4 times.*images are safe/));
    // A minute later the count starts again.
    advance(60_001);
    crash();
    expect(deps.reload).toHaveBeenCalledTimes(4);
    expect(deps.log).toHaveBeenCalledWith('renderer gone: oom (exit code 139)');
  });

  it('a clean exit is no crash; hangs are logged', () => {
    const { deps, crash, win } = setup();
    crash('clean-exit');
    expect(deps.reload).not.toHaveBeenCalled();
    win.emit('unresponsive');
    win.emit('responsive');
    expect(deps.log).toHaveBeenCalledWith('renderer unresponsive');
    expect(deps.log).toHaveBeenCalledWith('renderer responsive again');
  });
});
