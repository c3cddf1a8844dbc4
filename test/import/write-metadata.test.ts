import { describe, expect, it } from 'vitest';
import { fromA1111Split } from '../../main/import/metadata';
import { MAX_KEY_LENGTH, MAX_PARAMS_LINE, MAX_PARAMS_PAIRS, splitA1111 } from '../../main/library/a1111-split';
import { formatParameters } from '../../main/library/png-metadata';

describe('the parameters we write (issue 18)', () => {
  const entry = {
    prompt: 'a fox',
    model: 'flux-dev' as const,
    providerId: 'bfl-flux1-dev' as const,
    seed: 42,
    params: {
      aspectRatio: '1:1' as const,
      width: 1024,
      height: 1024,
      steps: 28,
      guidance: 3.5,
      seed: 42,
      randomizeSeed: false,
    },
  };

  it('writes Distilled CFG Scale beside Guidance, and no Version that readers take for A1111', () => {
    const text = formatParameters(entry);
    expect(text).toContain('Guidance: 3.5, Distilled CFG Scale: 3.5');
    expect(text).not.toMatch(/Version:/);
    // What a Forge-style reader gets from it.
    const read = fromA1111Split('a1111', text, splitA1111(text, MAX_PARAMS_LINE, MAX_PARAMS_PAIRS, MAX_KEY_LENGTH));
    expect(read).toMatchObject({
      prompt: 'a fox',
      params: { guidance: 3.5, steps: 28, seed: 42, width: 1024, model: 'flux-dev' },
    });
  });

  it('without guidance, neither key', () => {
    const text = formatParameters({ ...entry, params: { ...entry.params, guidance: undefined } });
    expect(text).not.toMatch(/Guidance|Distilled/);
  });
});
