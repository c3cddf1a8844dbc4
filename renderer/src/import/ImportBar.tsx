import { useSyncExternalStore } from 'react';
import { useI18n } from '../i18n/i18n';
import type { ImportStore } from './import-store';
import { ImportProgressLine } from './ImportProgressLine';

/** Above the gallery while an import runs and its dialog is hidden: progress, Show and Cancel. */
export function ImportBar({ store, onShow }: { store: ImportStore; onShow: () => void }) {
  const { t } = useI18n();
  const state = useSyncExternalStore(store.subscribe, store.get);
  if (state.kind !== 'running') return null;
  return (
    <section className="import-bar" aria-label={t('imp.progress')} data-testid="import-bar">
      <ImportProgressLine state={state} compact />
      <div className="import-bar__buttons">
        <button type="button" className="btn btn--small" onClick={onShow} data-testid="import-bar-show">
          {t('imp.showReport')}
        </button>
        <button
          type="button"
          className="btn btn--small"
          onClick={() => store.cancel()}
          disabled={state.cancelling}
          data-testid="import-bar-cancel"
        >
          {t('org.cancel')}
        </button>
      </div>
    </section>
  );
}
