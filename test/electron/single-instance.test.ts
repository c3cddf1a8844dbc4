import { describe, expect, it, vi } from 'vitest';
import { acquireSingleInstance } from '../../main/electron/single-instance';

describe('single-instance lock', () => {
  it('quits when another instance holds the lock', () => {
    const app = { requestSingleInstanceLock: () => false, quit: vi.fn(), on: vi.fn() };
    expect(acquireSingleInstance(app, () => {})).toBe(false);
    expect(app.quit).toHaveBeenCalled();
    expect(app.on).not.toHaveBeenCalled();
  });

  it('focuses the first window when a second instance starts, ignoring its arguments', () => {
    const handlers = new Map<string, (...a: unknown[]) => void>();
    const app = {
      requestSingleInstanceLock: () => true,
      quit: vi.fn(),
      on: vi.fn((name: string, h: (...a: unknown[]) => void) => void handlers.set(name, h)),
    };
    const focus = vi.fn();
    expect(acquireSingleInstance(app as never, focus)).toBe(true);
    handlers.get('second-instance')!({}, ['--evil', 'gallery://x'], '/cwd', {});
    expect(focus).toHaveBeenCalledWith();
    expect(app.quit).not.toHaveBeenCalled();
  });
});
