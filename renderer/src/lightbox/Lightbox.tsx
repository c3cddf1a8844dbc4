import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { ReusedParams } from '../../../shared/library';
import { api } from '../bridge';
import type { Models } from '../generate/useModels';
import type { HistoryPager } from '../gallery/history-pager';
import { errorText, toInfo } from '../i18n/errors';
import { useI18n } from '../i18n/i18n';
import { copyText } from '../ui/clipboard';
import { Icon } from '../ui/Icon';
import { IconButton } from '../ui/IconButton';
import { Modal } from '../ui/Modal';
import { useToasts } from '../ui/toast-context';
import { providerName } from '../generate/providers';
import { ratingFromKey } from '../organise/keys';
import { RatingStars } from '../organise/RatingStars';
import { ParamsList } from './ParamsList';
import { ZoomableImage } from './ZoomableImage';
import './lightbox.css';

export interface LightboxTarget {
  index: number;
  /** The entry meant; when new images shift indexes the viewer follows it. null = whatever is at index. */
  id: string | null;
}

export function Lightbox({
  pager,
  target,
  models,
  onNavigate,
  onClose,
  onReuse,
}: {
  pager: HistoryPager;
  target: LightboxTarget;
  models: Models;
  onNavigate: (target: LightboxTarget) => void;
  onClose: () => void;
  /** Fills the panel with the parameters and closes the viewer. */
  /** An imported image's parameters name no model or provider: the form keeps its own. */
  onReuse: (params: ReusedParams) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const toasts = useToasts();
  const snap = useSyncExternalStore(pager.subscribe, pager.getSnapshot);
  const total = snap.total ?? 0;
  const { index } = target;
  const entry = pager.get(index);

  useEffect(() => {
    pager.ensureRange(Math.max(0, index - 1), index + 2);
  }, [pager, index, snap.version]);
  // An Undo that lands after the viewer closed must not open it again.
  const open = useRef(false);
  useEffect(() => {
    open.current = true;
    return () => {
      open.current = false;
    };
  }, []);

  // Follow the entry when the list shifts under it; step back when it was the last; close when empty.
  useEffect(() => {
    if (snap.total === null) return;
    if (snap.total === 0) return onClose();
    if (index >= snap.total) return onNavigate({ index: snap.total - 1, id: null });
    const here = pager.get(index);
    if (!here) return;
    if (target.id === null) return onNavigate({ index, id: here.id });
    if (here.id !== target.id) {
      const moved = pager.indexOf(target.id);
      if (moved >= 0) onNavigate({ index: moved, id: target.id });
      else onNavigate({ index, id: here.id });
    }
  }, [pager, snap, index, target.id, onNavigate, onClose]);

  // Whether the image is zoomed (0 then fits it rather than removing the stars).
  const zoomed = useRef(false);

  const go = (delta: number) => {
    const next = index + delta;
    if (next < 0 || next >= total) return;
    onNavigate({ index: next, id: pager.get(next)?.id ?? null });
  };

  const fail = (err: unknown) => toasts.show({ message: errorText(i18n, toInfo(err)), tone: 'error' });

  const act = {
    copyPrompt: async () => {
      if (!entry) return;
      const ok = await copyText(entry.prompt);
      toasts.show({ message: t(ok ? 'lb.promptCopied' : 'lb.copyFailed'), tone: ok ? 'success' : 'error' });
    },
    copyImage: () => {
      if (!entry) return;
      api
        .invoke('history:copyImage', { id: entry.id })
        .then(
          ({ copied }) =>
            toasts.show(
              copied
                ? { message: t('lb.imageCopied'), tone: 'success' }
                : { message: t('lb.copyImageUnavailable'), tone: 'error' },
            ),
          fail,
        );
    },
    reuse: () => {
      if (!entry) return;
      api.invoke('history:reuse', { id: entry.id }).then((params) => {
        // The parent closes the viewer and sends focus to the prompt. A Space's negative prompt and
        // own controls come from the entry when the answer leaves them out.
        const { negativePrompt, extras } = entry.params;
        onReuse({
          ...params,
          ...(params.negativePrompt === undefined && negativePrompt ? { negativePrompt } : {}),
          ...(params.extras === undefined && extras ? { extras } : {}),
        });
        toasts.show({ message: t('lb.reused'), tone: 'success' });
      }, fail);
    },
    rate: (rating: number) => {
      if (!entry) return;
      // history:updated follows and patches the pager, as for favourites.
      api.invoke('history:setRating', { id: entry.id, rating }).catch(fail);
    },
    favourite: () => {
      if (!entry) return;
      // The main side announces the change (history:updated), which patches the pager for every view.
      api.invoke('history:setFavourite', { id: entry.id, favourite: !entry.favourite }).catch(fail);
    },
    reveal: () => {
      if (!entry) return;
      api.invoke('history:reveal', { id: entry.id }).then(({ revealed }) => {
        // The web preview has no file manager to open.
        if (!revealed) toasts.show({ message: t('lb.revealUnavailable'), tone: 'error' });
      }, fail);
    },
    delete: () => {
      if (!entry) return;
      const id = entry.id;
      api.invoke('history:delete', { id }).then(() => {
        // Show whatever takes its place at this index.
        onNavigate({ index, id: null });
        pager.invalidate();
        toasts.show({
          message: t('lb.deleted'),
          action: {
            label: t('lb.undo'),
            run: () => {
              api
                .invoke('history:undoDelete', { id })
                .then(async () => {
                  // Back in the list, and back in the viewer.
                  await pager.refresh();
                  const at = pager.indexOf(id);
                  if (at >= 0 && open.current) onNavigate({ index: at, id });
                  toasts.show({ message: t('lb.restored'), tone: 'success' });
                })
                .catch(fail);
            },
          },
        });
      }, fail);
    },
  };

  // A Space removed since is named by its id.
  const providerInfo = entry ? models.providers.find((p) => p.id === entry.providerId) : undefined;
  const providerLabel = entry ? providerName(entry.providerId, models.providers) : '';

  return (
    <Modal
      labelledBy="lb-title"
      onClose={onClose}
      className="lightbox"
      onKeyDown={(e) => {
        const inField = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement;
        // Shift+arrows pan a zoomed image (ZoomableImage).
        if (inField || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
        const rating = ratingFromKey(e);
        if (e.key === 'ArrowLeft') go(-1);
        else if (e.key === 'ArrowRight') go(1);
        // 0 fits a zoomed image (ZoomableImage); fitted, it removes the stars.
        else if (rating !== null && (rating > 0 || !zoomed.current)) act.rate(rating);
        else if (e.key === 'f' || e.key === 'F') act.favourite();
        else if (e.key === 'Delete') act.delete();
        else return;
        e.preventDefault();
      }}
    >
      <div className="lightbox__stage">
        {entry ? (
          <ZoomableImage key={entry.id} entry={entry} onZoomedChange={(z) => (zoomed.current = z)} />
        ) : (
          <div className="lightbox__loading">{t('app.loading')}</div>
        )}
        <IconButton
          icon="left"
          label={t('lb.prev')}
          className="lightbox__nav lightbox__nav--prev"
          disabled={index <= 0}
          onClick={() => go(-1)}
        />
        <IconButton
          icon="right"
          label={t('lb.next')}
          className="lightbox__nav lightbox__nav--next"
          disabled={index >= total - 1}
          onClick={() => go(1)}
        />
      </div>
      <aside className="lightbox__side">
        <header className="lightbox__header">
          <h2 id="lb-title" className="lightbox__title">
            {t('lb.label')}
          </h2>
          <span className="lightbox__position" data-testid="lightbox-position">
            {t('lb.position', { index: i18n.formatNumber(index + 1), total: i18n.formatNumber(total) })}
          </span>
          <button type="button" className="icon-btn" aria-label={t('lb.close')} title={t('lb.close')} onClick={onClose}>
            <Icon name="close" />
          </button>
        </header>
        {entry && (
          <>
            <section className="lightbox__prompt" aria-label={t('lb.p.prompt')}>
              <p data-testid="lightbox-prompt">{entry.prompt}</p>
            </section>
            <div className="lightbox__actions">
              <button type="button" className="btn btn--accent" onClick={act.reuse}>
                <Icon name="reuse" /> {t('lb.reuse')}
              </button>
              <button type="button" className="btn" onClick={act.copyPrompt}>
                <Icon name="copy" /> {t('lb.copyPrompt')}
              </button>
              <button type="button" className="btn" onClick={act.copyImage}>
                <Icon name="image" /> {t('lb.copyImage')}
              </button>
              <button type="button" className="btn" aria-pressed={entry.favourite} onClick={act.favourite}>
                <Icon name="star" filled={entry.favourite} />{' '}
                {entry.favourite ? t('lb.unfavourite') : t('lb.favourite')}
              </button>
              <RatingStars value={entry.rating ?? 0} onChange={act.rate} />
              <button type="button" className="btn" onClick={act.reveal}>
                <Icon name="folder" /> {t('lb.reveal')}
              </button>
              <button type="button" className="btn btn--danger" onClick={act.delete}>
                <Icon name="trash" /> {t('lb.delete')}
              </button>
            </div>
            <h3 className="lightbox__subtitle">{t('lb.params')}</h3>
            <ParamsList entry={entry} providerLabel={providerLabel} provider={providerInfo} />
          </>
        )}
      </aside>
    </Modal>
  );
}
