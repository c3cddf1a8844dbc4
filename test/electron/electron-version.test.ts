/**
 * The app stays on a supported Electron line: the major in package.json and the one installed must
 * be among the supported majors checked in at build/supported-electron.json (the three newest).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const json = (p: string) => JSON.parse(readFileSync(new URL(p, root), 'utf8')) as Record<string, unknown>;
const majorOf = (version: string) => Number(/(\d+)\./.exec(version)?.[1]);

describe('Electron version', () => {
  const { supportedMajors } = json('build/supported-electron.json') as { supportedMajors: number[] };

  it('the list names the three newest majors, newest first', () => {
    expect(supportedMajors).toHaveLength(3);
    expect([...supportedMajors].sort((a, b) => b - a)).toEqual(supportedMajors);
    expect(supportedMajors[0]! - supportedMajors[2]!).toBe(2);
  });

  it('package.json asks for a supported major, and that is what is installed', () => {
    const wanted = (json('package.json').devDependencies as Record<string, string>).electron!;
    expect(supportedMajors).toContain(majorOf(wanted));
    const installed = (json('node_modules/electron/package.json') as { version: string }).version;
    expect(majorOf(installed)).toBe(majorOf(wanted));
  });
});
