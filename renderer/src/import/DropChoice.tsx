import { useId, useRef } from 'react';
import { useI18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';
import { Modal } from '../ui/Modal';

/** What was dropped on the window, read while the drop event lasted. */
export interface Dropped {
  names: string[];
  /** Where each item is on disk (the desktop app); null where the page is not told (the web preview). */
  paths: string[] | null;
  /** The one file whose parameters can be read: exactly one item was dropped and it is not a folder. */
  single: File | null;
}

/**
 * Files or folders dropped on the window: import them into the library, or just read one image's
 * parameters into the panel. Enter takes the focused choice (Import first), Escape drops neither.
 */
export function DropChoice({
  dropped,
  onImport,
  onRead,
  onClose,
}: {
  dropped: Dropped;
  onImport: () => void;
  onRead: (file: File) => void;
  onClose: () => void;
}) {
  const { t, tn } = useI18n();
  const titleId = useId();
  const importRef = useRef<HTMLButtonElement>(null);
  const shown = dropped.names.slice(0, 3).join(', ') + (dropped.names.length > 3 ? ', …' : '');
  const withPaths = dropped.paths !== null;
  return (
    <Modal labelledBy={titleId} onClose={onClose} className="drop-choice" initialFocus={importRef}>
      <div className="drop-choice__body" data-testid="drop-choice">
        <h2 id={titleId} className="panel-title">
          {t('drop.choice.title')}
        </h2>
        <p className="drop-choice__names" title={dropped.names.join('\n')}>
          {tn('drop.choice.files', dropped.names.length, { names: shown })}
        </p>
        <button
          ref={importRef}
          type="button"
          className="drop-choice__option"
          onClick={onImport}
          data-testid="drop-choice-import"
        >
          <Icon name="upload" className="drop-choice__icon" />
          <span className="drop-choice__text">
            <span className="drop-choice__label">{t(withPaths ? 'drop.choice.import' : 'drop.choice.importWeb')}</span>
            <span className="drop-choice__hint">
              {t(withPaths ? 'drop.choice.importHint' : 'drop.choice.importWebHint')}
            </span>
          </span>
        </button>
        <button
          type="button"
          className="drop-choice__option"
          disabled={!dropped.single}
          onClick={() => dropped.single && onRead(dropped.single)}
          data-testid="drop-choice-read"
        >
          <Icon name="sparkles" className="drop-choice__icon" />
          <span className="drop-choice__text">
            <span className="drop-choice__label">{t('drop.choice.read')}</span>
            <span className="drop-choice__hint">
              {t(dropped.single ? 'drop.choice.readHint' : 'drop.choice.readOnlyOne')}
            </span>
          </span>
        </button>
        <div className="drop-choice__buttons">
          <button type="button" className="btn" onClick={onClose}>
            {t('org.cancel')}
          </button>
        </div>
      </div>
    </Modal>
  );
}
