/**
 * Bulk actions on a selection of any size: each runs on the main side as one library operation
 * (`history:bulk`), named by an operation id made here so its progress events are recognised
 * before the answer comes. The result is said in words; a delete offers Undo like one image.
 */
import { useCallback, useRef, useState } from 'react';
import type { BulkAction, BulkActionType, BulkResult, BulkTarget } from '../../../shared/organise';
import { api } from '../bridge';
import { useBridgeEvent } from '../bridge/useBridgeEvent';
import { errorText, toInfo } from '../i18n/errors';
import { useI18n, type I18n } from '../i18n/i18n';
import { copyText } from '../ui/clipboard';
import { useToasts } from '../ui/toast-context';

export interface BulkRun {
  operationId: string;
  action: BulkActionType;
  done: number;
  total: number;
}

export const newOperationId = (prefix = 'op'): string =>
  `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;

/** The result of a finished action, in words. */
export function bulkMessage(i18n: I18n, action: BulkAction, r: { matched: number; changed: number }, board?: string) {
  const { tn } = i18n;
  switch (action.type) {
    case 'setFavourite':
      return tn(action.favourite ? 'org.res.favourited' : 'org.res.unfavourited', r.changed);
    case 'rate':
      return action.rating === 0
        ? tn('org.res.unrated', r.changed)
        : tn('org.res.rated', r.changed, { stars: tn('org.stars', action.rating) });
    case 'addToBoard':
      return tn('org.res.added', r.changed, { board: board ?? '' });
    case 'removeFromBoard':
      return tn('org.res.removedFromBoard', r.changed, { board: board ?? '' });
    case 'delete':
      return tn('org.res.deleted', r.changed);
    case 'copyPrompts':
      return tn('org.res.copied', r.matched);
  }
}

export interface Bulk {
  /** The action running now (one at a time), with its progress. */
  running: BulkRun | null;
  /** Runs `action` on each target in turn; resolves with the results, or null when it failed. */
  run(
    action: BulkAction,
    targets: BulkTarget[],
    opts?: { board?: string; onDeleted?: () => void },
  ): Promise<BulkResult[] | null>;
}

export function useBulk(): Bulk {
  const i18n = useI18n();
  const { t, tn } = i18n;
  const toasts = useToasts();
  const [running, setRunning] = useState<BulkRun | null>(null);
  const current = useRef<string | null>(null);

  useBridgeEvent('history:bulkProgressed', (p) => {
    if (p.operationId === current.current) setRunning({ ...p });
  });

  const run = useCallback<Bulk['run']>(
    async (action, targets, opts = {}) => {
      if (targets.length === 0 || current.current) return null;
      const results: BulkResult[] = [];
      try {
        for (const target of targets) {
          const operationId = newOperationId();
          current.current = operationId;
          setRunning({ operationId, action: action.type, done: 0, total: 0 });
          results.push(await api.invoke('history:bulk', { operationId, target, action }));
        }
      } catch (err) {
        const detail = errorText(i18n, toInfo(err));
        toasts.show({ message: t('org.res.failed', { action: t(`org.act.${action.type}`), detail }), tone: 'error' });
        // What did go through (an earlier part) is still said below.
        if (results.length === 0) return null;
      } finally {
        current.current = null;
        setRunning(null);
      }
      const total = results.reduce(
        (a, r) => ({ matched: a.matched + r.matched, changed: a.changed + r.changed, missing: a.missing + r.missing }),
        { matched: 0, changed: 0, missing: 0 },
      );
      const missing = total.missing ? ` ${tn('org.res.missing', total.missing)}` : '';
      if (action.type === 'copyPrompts') {
        const text = results
          .map((r) => r.text ?? '')
          .filter(Boolean)
          .join('\n');
        const ok = text !== '' && (await copyText(text));
        toasts.show({
          message: ok ? bulkMessage(i18n, action, total) + missing : t('org.res.copyFailed'),
          tone: ok ? 'success' : 'error',
        });
        return results;
      }
      if (action.type === 'delete') {
        opts.onDeleted?.();
        const ops = results.map((r) => r.operationId);
        toasts.show({
          message: bulkMessage(i18n, action, total) + missing,
          action: {
            label: t('lb.undo'),
            run: () => {
              Promise.all(ops.map((operationId) => api.invoke('history:undoBulkDelete', { operationId }))).then(
                (undone) =>
                  toasts.show({
                    message: tn(
                      'org.res.restored',
                      undone.reduce((n, u) => n + u.restored, 0),
                    ),
                    tone: 'success',
                  }),
                (err: unknown) => toasts.show({ message: errorText(i18n, toInfo(err)), tone: 'error' }),
              );
            },
          },
        });
        return results;
      }
      const unchanged = total.matched - total.changed;
      const note = unchanged > 0 ? ` ${tn('org.res.unchanged', unchanged)}` : '';
      toasts.show({ message: bulkMessage(i18n, action, total, opts.board) + note + missing, tone: 'success' });
      return results;
    },
    [i18n, t, tn, toasts],
  );

  return { running, run };
}
