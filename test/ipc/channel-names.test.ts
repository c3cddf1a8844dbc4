import { describe, expect, it } from 'vitest';
import { INVOKE_CHANNEL_NAMES, SEND_CHANNEL_NAMES, isInvokeChannel, isSendChannel } from '../../shared/channel-names';
import { invokeChannels, sendChannels } from '../../shared/contract';

describe('channel names (what the preload checks) and the contract (what main validates)', () => {
  it('name exactly the same channels', () => {
    expect([...INVOKE_CHANNEL_NAMES].sort()).toEqual(Object.keys(invokeChannels).sort());
    expect([...SEND_CHANNEL_NAMES].sort()).toEqual(Object.keys(sendChannels).sort());
  });

  it('refuse anything else, including inherited object keys', () => {
    for (const c of ['constructor', '__proto__', 'toString', 'app:info ', 'APP:INFO', 1, null, undefined]) {
      expect(isInvokeChannel(c)).toBe(false);
      expect(isSendChannel(c)).toBe(false);
    }
    expect(isInvokeChannel('history:get')).toBe(true);
  });
});
