import { describe, expect, it, vi } from 'vitest';

const created = vi.hoisted(() => [] as Record<string, unknown>[]);
// The real electron-store needs a running Electron; what matters here is how the factory calls it.
vi.mock('electron-store', () => ({
  default: class {
    store: unknown;
    constructor(options: Record<string, unknown>) {
      created.push(options);
      this.store = options.defaults;
    }
  },
}));

describe('electron-store factory', () => {
  it('creates a named store in the given folder, with defaults, keeping damaged files', async () => {
    const { electronStoreFactory } = await import('../../main/electron/electron-store-factory');
    const store = electronStoreFactory({ name: 'settings', cwd: '/data', defaults: { a: 1 } });
    expect(created).toEqual([{ name: 'settings', cwd: '/data', defaults: { a: 1 }, clearInvalidConfig: false }]);
    expect(store.store).toEqual({ a: 1 });
  });

  it('passes a file mode on (settings are 0600)', async () => {
    const { electronStoreFactory } = await import('../../main/electron/electron-store-factory');
    electronStoreFactory({ name: 'settings', cwd: '/data', defaults: {}, fileMode: 0o600 });
    expect(created.at(-1)).toMatchObject({ name: 'settings', configFileMode: 0o600 });
  });
});
