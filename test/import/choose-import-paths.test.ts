/** `library:chooseImportPaths` (issue 18): the OS open dialog of "Import images…" where the platform has one. */
import { describe, expect, it, vi } from 'vitest';
import { createImportServices } from '../../main/import/import-handlers';
import type { Library } from '../../main/library/library';

const library = () => ({}) as Library;
const events = { emit: () => {} };
const CTX = { transport: 'web' } as const;

describe('library:chooseImportPaths', () => {
  it('asks the platform for files or folders and answers the paths, none when cancelled', async () => {
    const chooseImportPaths = vi.fn(async ({ kind }: { kind: 'files' | 'folders' }) =>
      kind === 'files' ? ['/pics/a.png', '/pics/b.webp'] : [],
    );
    const { handlers } = createImportServices({ library, events, platform: { chooseImportPaths } });
    expect(await handlers['library:chooseImportPaths']({ kind: 'files' }, CTX)).toEqual({
      paths: ['/pics/a.png', '/pics/b.webp'],
    });
    expect(await handlers['library:chooseImportPaths']({ kind: 'folders' }, CTX)).toEqual({ paths: [] });
    expect(chooseImportPaths.mock.calls.map((c) => c[0].kind)).toEqual(['files', 'folders']);
  });

  it('is refused with forbidden where there is no dialog (the web preview, the CLI)', async () => {
    const { handlers } = createImportServices({ library, events });
    await expect(
      Promise.resolve().then(() => handlers['library:chooseImportPaths']({ kind: 'files' }, CTX)),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });
});
