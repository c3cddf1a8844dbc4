import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { PromptRecord } from '../../../shared/queue';
import { api } from '../bridge';
import { errorText, toInfo } from '../i18n/errors';
import { useI18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';
import { IconButton } from '../ui/IconButton';
import { Modal } from '../ui/Modal';
import { useDebounced } from '../ui/useDebounced';
import { useToasts } from '../ui/toast-context';
import './history-dialog.css';

/**
 * The prompts submitted before, searchable (every word must appear), pinned ones first: use one
 * (Enter; Alt+Enter the prompt alone), pin, delete (Delete key too), or clear all but the pinned.
 * The keyboard moves between rows with ↑/↓ from the search field on.
 */
export function PromptHistoryDialog({
  onUse,
  onClose,
}: {
  onUse: (record: PromptRecord, promptOnly: boolean) => void;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t, tn } = i18n;
  const toasts = useToasts();
  const [query, setQuery] = useState('');
  const text = useDebounced(query, 120);
  const [items, setItems] = useState<PromptRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [askClear, setAskClear] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const rows = useRef(new Map<string, HTMLButtonElement>());
  const clearRef = useRef<HTMLButtonElement>(null);
  const clearYesRef = useRef<HTMLButtonElement>(null);
  /** What to focus after the list changed (a deletion moves focus to its neighbour): a row's id, or a control. */
  const refocus = useRef<string | null>(null);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let live = true;
    api.invoke('prompts:list', { ...(text.trim() ? { text: text.trim() } : {}), limit: 500 }).then(
      (r) => {
        if (!live) return;
        setItems(r.items);
        setError(null);
      },
      (err: unknown) => live && setError(t('hist.loadFailed', { reason: errorText(i18n, toInfo(err)) })),
    );
    return () => {
      live = false;
    };
  }, [text, reloads, i18n, t]);

  useEffect(() => {
    const want = refocus.current;
    if (!want) return;
    refocus.current = null;
    const control = { search: searchRef, clear: clearRef, 'clear-yes': clearYesRef }[want];
    (control ? control.current : (rows.current.get(want) ?? searchRef.current))?.focus();
  });

  const list = items ?? [];
  const focusRow = (i: number) => {
    const r = list[Math.max(0, Math.min(list.length - 1, i))];
    if (r) rows.current.get(r.id)?.focus();
  };
  const fail = (err: unknown) => toasts.show({ message: errorText(i18n, toInfo(err)), tone: 'error' });

  const pin = (r: PromptRecord) => {
    api.invoke('prompts:pin', { id: r.id, pinned: !r.pinned }).then(() => {
      refocus.current = r.id;
      setReloads((n) => n + 1);
    }, fail);
  };
  const remove = (r: PromptRecord, i: number) => {
    api.invoke('prompts:delete', { id: r.id }).then(() => {
      const next = list[i + 1] ?? list[i - 1];
      refocus.current = next ? next.id : 'search';
      setItems((xs) => (xs ? xs.filter((x) => x.id !== r.id) : xs));
    }, fail);
  };
  const clear = () => {
    api.invoke('prompts:clear', { keepPinned: true }).then((r) => {
      setAskClear(false);
      refocus.current = 'search';
      setReloads((n) => n + 1);
      toasts.show({ message: tn('hist.cleared', r.cleared), tone: 'success' });
    }, fail);
  };

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Escape' && query) {
      // The first Escape empties the search; the next closes.
      e.preventDefault();
      setQuery('');
    } else if (e.key === 'ArrowDown' && list.length > 0) {
      e.preventDefault();
      focusRow(0);
    } else if (e.key === 'Enter' && list[0]) {
      e.preventDefault();
      onUse(list[0], e.altKey);
    }
  };
  const onRowKey = (e: KeyboardEvent<HTMLButtonElement>, r: PromptRecord, i: number) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      focusRow(i + 1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (i === 0) searchRef.current?.focus();
      else focusRow(i - 1);
    } else if (e.key === 'Home') {
      e.preventDefault();
      focusRow(0);
    } else if (e.key === 'End') {
      e.preventDefault();
      focusRow(list.length - 1);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      onUse(r, e.altKey);
    } else if (e.key === 'Delete') {
      e.preventDefault();
      remove(r, i);
    }
  };

  const meta = (r: PromptRecord) =>
    [
      t(`gen.model.${r.params.model}`),
      r.params.style ? t('pre.styleNamed', { name: r.params.style }) : null,
      i18n.formatTime(r.at),
      tn('hist.uses', r.uses),
    ]
      .filter(Boolean)
      .join(' · ');

  return (
    <Modal labelledBy="hist-title" onClose={onClose} className="hist" initialFocus={searchRef}>
      <header className="hist__header">
        <h2 id="hist-title" className="panel-title">
          {t('hist.title')}
        </h2>
        <IconButton icon="close" label={t('hist.close')} onClick={onClose} />
      </header>
      <div className="hist__search">
        <label className="visually-hidden" htmlFor="hist-search">
          {t('hist.search')}
        </label>
        <span className="hist__search-icon" aria-hidden="true">
          <Icon name="search" />
        </span>
        <input
          ref={searchRef}
          id="hist-search"
          className="input"
          type="search"
          autoComplete="off"
          spellCheck={false}
          value={query}
          placeholder={t('hist.searchPlaceholder')}
          aria-describedby="hist-keys"
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onSearchKey}
        />
      </div>
      <p id="hist-keys" className="field__hint hist__keys">
        {t('hist.keys')}
      </p>
      <div className="hist__body">
        {error && (
          <p className="notice notice--error" role="alert">
            <Icon name="alert" /> {error}
          </p>
        )}
        {items !== null && list.length === 0 && !error && (
          <p className="hist__empty" data-testid="hist-empty">
            {text.trim() ? t('hist.noMatches') : t('hist.empty')}
          </p>
        )}
        {list.length > 0 && (
          <ul className="hist__list" aria-labelledby="hist-title" data-testid="hist-list">
            {list.map((r, i) => (
              <li
                key={r.id}
                className={r.pinned ? 'hist__row hist__row--pinned' : 'hist__row'}
                data-testid="hist-row"
                data-id={r.id}
              >
                <button
                  type="button"
                  className="hist__use"
                  ref={(el) => {
                    if (el) rows.current.set(r.id, el);
                    else rows.current.delete(r.id);
                  }}
                  title={t('hist.useLabel', { prompt: r.prompt.slice(0, 200) })}
                  onClick={(e) => onUse(r, e.altKey)}
                  onKeyDown={(e) => onRowKey(e, r, i)}
                  data-testid="hist-use"
                >
                  <span className="hist__prompt">{r.prompt}</span>
                  <span className="hist__meta">
                    {r.pinned && (
                      <span className="hist__pinned">
                        <Icon name="pin" /> {t('hist.pinned')}
                      </span>
                    )}
                    {meta(r)}
                  </span>
                </button>
                <span className="hist__tools">
                  <IconButton
                    icon="pin"
                    small
                    label={t(r.pinned ? 'hist.unpinLabel' : 'hist.pinLabel', { prompt: r.prompt.slice(0, 60) })}
                    aria-pressed={r.pinned}
                    onClick={() => pin(r)}
                    data-testid="hist-pin"
                  />
                  <IconButton
                    icon="trash"
                    small
                    label={t('hist.deleteLabel', { prompt: r.prompt.slice(0, 60) })}
                    onClick={() => remove(r, i)}
                    data-testid="hist-delete"
                  />
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <footer className="hist__footer">
        {askClear ? (
          <span className="hist__ask" role="group" aria-label={t('hist.clearAsk')}>
            <span>{t('hist.clearAsk')}</span>
            <button
              type="button"
              ref={clearYesRef}
              className="btn btn--small btn--danger"
              onClick={clear}
              data-testid="hist-clear-yes"
            >
              {t('hist.clearYes')}
            </button>
            <button
              type="button"
              className="btn btn--small"
              onClick={() => {
                setAskClear(false);
                refocus.current = 'clear';
              }}
            >
              {t('hist.clearNo')}
            </button>
          </span>
        ) : (
          <button
            type="button"
            ref={clearRef}
            className="btn btn--small btn--ghost"
            disabled={!text.trim() && list.every((r) => r.pinned)}
            onClick={() => {
              setAskClear(true);
              refocus.current = 'clear-yes';
            }}
            data-testid="hist-clear"
          >
            <Icon name="trash" /> {t('hist.clear')}
          </button>
        )}
      </footer>
    </Modal>
  );
}
