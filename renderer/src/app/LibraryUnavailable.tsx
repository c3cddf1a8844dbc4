import { useEffect, useRef, useState } from 'react';
import type { LibraryStatus } from '../../../shared/contract';
import type { ErrorInfo } from '../../../shared/errors';
import { api } from '../bridge';
import { errorText, toInfo } from '../i18n/errors';
import { useI18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';
import { libraryWords } from './library-words';

/**
 * Shown instead of the gallery while the library folder cannot be opened (a missing folder, an
 * unplugged drive, a read-only volume): why, and what to do — retry, choose another folder, or go
 * back to the default one. Every action is a button, reachable with Tab; focus starts on Retry.
 */
export function LibraryUnavailable({
  status,
  onChooseInSettings,
  onStatus,
}: {
  status: LibraryStatus;
  /** Where there is no OS folder dialog (the web preview), "Choose…" opens Settings at the library field. */
  onChooseInSettings: () => void;
  onStatus: (status: LibraryStatus) => void;
}) {
  const i18n = useI18n();
  const say = libraryWords(i18n.language);
  const [busy, setBusy] = useState<'retry' | 'choose' | 'default' | null>(null);
  const [failure, setFailure] = useState<ErrorInfo | null>(null);
  const [tried, setTried] = useState(false);
  const [canChooseFolder, setCanChooseFolder] = useState(false);
  const retryRef = useRef<HTMLButtonElement>(null);
  useEffect(() => retryRef.current?.focus(), []);
  useEffect(() => {
    api.invoke('app:info', undefined).then(
      (info) => setCanChooseFolder(info.features?.chooseFolder === true),
      () => {},
    );
  }, []);

  const missing = status.error?.code === 'file-missing';
  const isDefault = status.libraryDir === status.defaultLibraryDir;

  const run = async (what: 'retry' | 'choose' | 'default', action: () => Promise<void>) => {
    if (busy) return;
    setBusy(what);
    setFailure(null);
    try {
      await action();
    } catch (err) {
      setFailure(toInfo(err));
    } finally {
      setBusy(null);
    }
  };
  const retry = () =>
    run('retry', async () => {
      const next = await api.invoke('library:retry', undefined);
      setTried(next.state !== 'ready');
      onStatus(next);
    });
  const switchTo = async (libraryDir: string) => {
    await api.invoke('settings:update', { libraryDir });
    onStatus(await api.invoke('library:status', undefined));
  };
  const choose = () => {
    if (!canChooseFolder) return onChooseInSettings();
    void run('choose', async () => {
      const { dir } = await api.invoke('settings:chooseLibraryDir', { title: say('choose') });
      if (dir) await switchTo(dir);
    });
  };
  const toDefault = () => run('default', () => switchTo(status.defaultLibraryDir));

  return (
    <section
      className="library-unavailable"
      aria-labelledby="library-unavailable-title"
      data-testid="library-unavailable"
    >
      <Icon name="folder" className="library-unavailable__icon" />
      <h2 id="library-unavailable-title" className="library-unavailable__title">
        {say('title')}
      </h2>
      <p className="library-unavailable__what" role="alert" data-code={status.error?.code ?? ''}>
        {say(missing ? 'missing' : 'unusable', { dir: status.libraryDir })}
      </p>
      {status.error && !missing && <p className="library-unavailable__detail">{status.error.message}</p>}
      <p className="library-unavailable__hint">{say(missing ? 'missingHint' : 'unusableHint')}</p>
      <div className="library-unavailable__actions">
        <button
          ref={retryRef}
          type="button"
          className="btn btn--primary"
          aria-disabled={busy !== null}
          onClick={() => void retry()}
        >
          {busy === 'retry' ? say('retrying') : say('retry')}
        </button>
        <button
          type="button"
          className="btn"
          aria-disabled={busy !== null}
          aria-describedby={canChooseFolder ? undefined : 'library-unavailable-choose-hint'}
          onClick={choose}
        >
          <Icon name="folder" /> {say('choose')}
        </button>
        {!isDefault && (
          <button
            type="button"
            className="btn"
            aria-disabled={busy !== null}
            aria-describedby="library-unavailable-default-hint"
            onClick={() => void toDefault()}
          >
            {say('useDefault')}
          </button>
        )}
      </div>
      {!canChooseFolder && (
        <p id="library-unavailable-choose-hint" className="library-unavailable__hint">
          {say('chooseHint')}
        </p>
      )}
      {!isDefault && (
        <p id="library-unavailable-default-hint" className="library-unavailable__hint">
          {say('useDefaultHint', { dir: status.defaultLibraryDir })}
        </p>
      )}
      <p className="library-unavailable__status" role="status" data-testid="library-unavailable-status">
        {failure ? errorText(i18n, failure) : tried && busy === null ? say('stillUnavailable') : ''}
      </p>
      <p className="library-unavailable__hint">{say('generateNote')}</p>
    </section>
  );
}
