import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { AppInfo, ProviderInfo } from '../../../shared/contract';
import type { ErrorInfo } from '../../../shared/errors';
import { LANGUAGES, PROVIDER_IDS, THEMES, type Theme } from '../../../shared/constants';
import { tokenGoesTo, type PublicSettings } from '../../../shared/settings';
import { api } from '../bridge';
import type { Models } from '../generate/useModels';
import type { SettingsFocus } from '../jobs/JobCard';
import { errorText, toInfo } from '../i18n/errors';
import { createI18n, useI18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';
import { IconButton } from '../ui/IconButton';
import { Modal } from '../ui/Modal';
import { SelectField } from '../ui/SelectField';
import { TextField } from '../ui/TextField';
import { useToasts } from '../ui/toast-context';
import {
  draftFrom,
  draftHasNewSecret,
  patchFrom,
  proxyHasPassword,
  validatePatch,
  type SettingsDraft,
  type SettingsErrors,
} from './settings-form';
import { settingsWords, storageKey } from './settings-words';
import { FallbackOrder } from './FallbackOrder';
import { InferenceSection } from './InferenceSection';
import { NotificationsSection, QueueSection } from './QueueSection';
import { SavedSpaces } from './SavedSpaces';
import { SpaceDialog, type SpaceDialogTarget } from './SpaceDialog';
import { SpaceStates } from './SpaceStates';
import type { SavedSpace } from '../../../shared/spaces';
import './settings.css';

export function SettingsDialog({
  settings,
  models,
  onProviders,
  focus,
  onClose,
}: {
  settings: PublicSettings;
  models: Models;
  /** Newer provider infos (states read by "Check now" or a retry). */
  onProviders: (providers: ProviderInfo[]) => void;
  focus: SettingsFocus | null;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const say = settingsWords(i18n.language);
  const toasts = useToasts();
  const [draft, setDraft] = useState<SettingsDraft>(() => draftFrom(settings));
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [saveError, setSaveError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState<'saving' | 'checking-token' | null>(null);
  const [choosing, setChoosing] = useState(false);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const tokenRef = useRef<HTMLInputElement>(null);
  const firstRef = useRef<HTMLInputElement>(null);
  const spacesRef = useRef<HTMLButtonElement>(null);
  const addSpaceRef = useRef<HTMLButtonElement>(null);
  const inferenceRef = useRef<HTMLDivElement>(null);
  const errorRef = useRef<HTMLParagraphElement>(null);
  const [spaceDialog, setSpaceDialog] = useState<SpaceDialogTarget | null>(null);
  // The user's Spaces change at once (spaces:* channels); settings:changed brings the saved list too.
  // A change made here shows at once; newer settings (settings:changed) replace it.
  const [localSpaces, setLocalSpaces] = useState<{ from: unknown; list: readonly SavedSpace[] } | null>(null);
  const customSpaces =
    localSpaces && localSpaces.from === settings.customSpaces ? localSpaces.list : (settings.customSpaces ?? []);
  const setCustomSpaces = (change: (list: readonly SavedSpace[]) => readonly SavedSpace[]) =>
    setLocalSpaces({ from: settings.customSpaces, list: change(customSpaces) });
  useEffect(() => {
    if (focus === 'inference') inferenceRef.current?.scrollIntoView({ block: 'start' });
  }, [focus]);
  // Where focus goes once a refused save has rendered its error.
  const focusAfterError = useRef<'library' | 'token' | 'notice' | 'invalid' | null>(null);
  useEffect(() => {
    const where = focusAfterError.current;
    if (!where) return;
    focusAfterError.current = null;
    if (where === 'invalid') {
      // The first field the form refused (it may be far down: Inference Providers).
      document.querySelector<HTMLElement>('.settings__form [aria-invalid="true"]')?.focus();
      return;
    }
    (where === 'library' ? firstRef.current : where === 'token' ? tokenRef.current : errorRef.current)?.focus();
  });

  useEffect(() => {
    api.invoke('app:info', undefined).then(setInfo, () => {});
  }, []);

  const set = (patch: Partial<SettingsDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaveError(null);
    // What the main side refused goes once the user changes it.
    if (patch.libraryDir !== undefined || patch.hfToken !== undefined) {
      setErrors(({ libraryDir, hfToken, ...rest }) => ({
        ...rest,
        ...(patch.libraryDir === undefined && libraryDir ? { libraryDir } : {}),
        ...(patch.hfToken === undefined && hfToken ? { hfToken } : {}),
      }));
    }
    if (patch.inference !== undefined) {
      setErrors(({ inferenceUrl: _u, inferenceProvider: _p, inferenceModels: _m, ...rest }) => rest);
    }
    // A refused URL's message goes once the user edits that URL.
    if (patch.hfUrl !== undefined || patch.proxy !== undefined || patch.providerUrls !== undefined) {
      setErrors((errs) => {
        const next = { ...errs };
        if (patch.hfUrl !== undefined) delete next.hfUrl;
        if (patch.proxy !== undefined) delete next.proxy;
        const urls = patch.providerUrls;
        if (urls) for (const id of PROVIDER_IDS) if (urls[id] !== draft.providerUrls[id]) delete next[`url:${id}`];
        return next;
      });
    }
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const patch = patchFrom(draft, settings);
    const checked = validatePatch(patch, i18n);
    if (!checked.ok) {
      focusAfterError.current = 'invalid';
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    if (Object.keys(patch).length === 0) return onClose();
    const newToken = typeof patch.hfToken === 'string';
    setBusy(newToken ? 'checking-token' : 'saving');
    try {
      const saved = await api.invoke('settings:update', patch);
      // Said in the language just chosen.
      const said = createI18n(draft.language);
      const check = newToken ? saved.hfTokenCheck : null;
      toasts.show({
        message:
          check?.state === 'valid'
            ? `${said.t('set.saved')} ${said.t('set.tokenSaved', { name: check.name })}`
            : check?.state === 'unchecked'
              ? `${said.t('set.saved')} ${said.t('set.tokenUnchecked', { reason: check.reason })}`
              : said.t('set.saved'),
        tone: check?.state === 'unchecked' ? 'info' : 'success',
      });
      onClose();
    } catch (err) {
      const failure = toInfo(err);
      // The Save button keeps focus through the wait; after a refusal, focus goes to what to fix.
      if (failure.code === 'token-refused') {
        focusAfterError.current = 'token';
        setErrors({ hfToken: errorText(i18n, failure) });
      } else {
        const libraryAtFault =
          patch.libraryDir !== undefined && (failure.code === 'io' || failure.code === 'invalid-argument');
        // Said under the field at fault (in view once it has focus), else at the top.
        if (libraryAtFault) {
          focusAfterError.current = 'library';
          setErrors({ libraryDir: errorText(i18n, failure) });
        } else {
          focusAfterError.current = 'notice';
          setSaveError(failure);
        }
      }
    } finally {
      setBusy(null);
    }
  };

  const chooseFolder = async () => {
    if (choosing) return;
    setChoosing(true);
    try {
      const { dir } = await api.invoke('settings:chooseLibraryDir', { title: t('set.chooseFolderLabel') });
      if (dir) set({ libraryDir: dir });
    } catch (err) {
      setSaveError(toInfo(err));
    } finally {
      setChoosing(false);
      firstRef.current?.focus();
    }
  };
  const canChoose = info?.features?.chooseFolder === true;

  // Where the token will not go (another origin, not confirmed), said under the URL that leads there.
  const tokenWillBeSet = !draft.removeToken && (settings.hasHfToken || draft.hfToken.trim() !== '');
  const tokenNote = (url: string): string | null => {
    const u = url.trim();
    if (!tokenWillBeSet || !u.startsWith('https://') || tokenGoesTo(u, draft.tokenOrigins)) return null;
    let origin: string;
    try {
      origin = new URL(u).origin;
    } catch {
      return null;
    }
    const next = info?.features?.confirmTokenOrigin ? say('token.askOnSave') : say('token.webCannot');
    return `${say('token.notSent', { origin })} ${next}`;
  };
  const withNote = (hint: string | undefined, url: string) => {
    const note = tokenNote(url);
    return note ? (hint ? `${hint} ${note}` : note) : hint;
  };
  // Without an OS keychain, a new secret goes to disk only if the user ticks this (else: until the app closes).
  const askKeep = settings.secretProtection !== 'keychain' && draftHasNewSecret(draft);
  const keepOnDisk = (
    <div className="settings__consent">
      <label className="settings__check">
        <input
          type="checkbox"
          id="set-store-without-keychain"
          checked={draft.storeWithoutKeychain}
          aria-describedby="set-store-without-keychain-hint"
          onChange={(e) => set({ storeWithoutKeychain: e.target.checked })}
        />
        <span>{say(settings.secretProtection === 'obfuscated' ? 'keep.label.obfuscated' : 'keep.label.plain')}</span>
      </label>
      <p id="set-store-without-keychain-hint" className="field__hint">
        {say('keep.hint')}
      </p>
    </div>
  );
  const tokenIsNew = !draft.removeToken && draft.hfToken.trim() !== '';
  const proxyUser = (() => {
    try {
      return settings.proxy ? decodeURIComponent(new URL(settings.proxy).username) : '';
    } catch {
      return '';
    }
  })();
  const proxyPasswordNote =
    settings.proxyPasswordStorage && draft.proxy.trim() === (settings.proxy ?? '') && !proxyHasPassword(draft.proxy)
      ? say('proxy.password', { user: proxyUser, how: say(storageKey(settings.proxyPasswordStorage)) })
      : null;

  const providerRows = PROVIDER_IDS.map((id) => {
    const info = models.providers.find((p) => p.id === id);
    return { id, label: info?.label ?? id, defaultUrl: info?.defaultBaseUrl ?? '' };
  });
  const providerInfos = PROVIDER_IDS.map((id) => models.providers.find((p) => p.id === id)).filter(
    (p): p is ProviderInfo => !!p,
  );

  return (
    <Modal
      labelledBy="settings-title"
      onClose={onClose}
      className="settings"
      initialFocus={focus === 'token' ? tokenRef : focus === 'spaces' ? spacesRef : firstRef}
    >
      <form className="settings__form" onSubmit={save} noValidate>
        <header className="settings__header">
          <h2 id="settings-title" className="panel-title">
            {t('set.title')}
          </h2>
          <IconButton icon="close" label={t('set.close')} onClick={onClose} />
        </header>

        <div className="settings__body">
          {saveError && (
            <p className="notice notice--error" role="alert" data-testid="settings-error" ref={errorRef} tabIndex={-1}>
              <Icon name="alert" /> {errorText(i18n, saveError)}
            </p>
          )}

          <fieldset className="settings__group">
            <legend>{t('set.appearance')}</legend>
            <div className="field">
              <span className="field__label" id="set-theme-label">
                {t('set.theme')}
              </span>
              <div className="segmented" role="radiogroup" aria-labelledby="set-theme-label">
                {THEMES.map((theme: Theme) => (
                  <label key={theme} className="segmented__option">
                    <input
                      type="radio"
                      name="theme"
                      value={theme}
                      checked={draft.theme === theme}
                      onChange={() => set({ theme })}
                    />
                    <span>{t(`set.theme.${theme}`)}</span>
                  </label>
                ))}
              </div>
            </div>
            <SelectField
              id="set-language"
              label={t('set.language')}
              value={draft.language}
              onChange={(language) => set({ language })}
            >
              {LANGUAGES.map((lang) => (
                <option key={lang} value={lang} lang={lang}>
                  {t(`set.language.${lang}`)}
                </option>
              ))}
            </SelectField>
          </fieldset>

          <fieldset className="settings__group">
            <legend>{t('set.library')}</legend>
            <TextField
              id="set-library"
              inputRef={firstRef}
              label={t('set.libraryDir')}
              value={draft.libraryDir}
              error={errors.libraryDir}
              hint={info && !canChoose ? t('set.libraryDirHintWeb') : t('set.libraryDirHint')}
              onChange={(libraryDir) => set({ libraryDir })}
            >
              {/* The OS folder dialog, where there is one (the desktop app); the web preview types the path. */}
              {canChoose && (
                <button
                  type="button"
                  className="btn btn--small field__addon"
                  aria-label={t('set.chooseFolderLabel')}
                  title={t('set.chooseFolderLabel')}
                  aria-disabled={choosing}
                  onClick={() => void chooseFolder()}
                  data-testid="choose-library"
                >
                  <Icon name="folder" /> {t('set.chooseFolder')}
                </button>
              )}
            </TextField>
          </fieldset>

          <fieldset className="settings__group">
            <legend>{t('set.account')}</legend>
            {settings.hfTokenStorage === 'environment' ? (
              <p className="settings__note" id="set-token-env" data-testid="token-storage">
                {say('storage.environment')}
              </p>
            ) : (
              <TextField
                id="set-token"
                type="password"
                inputRef={tokenRef}
                autoComplete="new-password"
                label={t('set.hfToken')}
                value={draft.hfToken}
                placeholder={settings.hasHfToken && !draft.removeToken ? '••••••••••••' : t('set.hfTokenPlaceholder')}
                error={errors.hfToken}
                hint={
                  draft.removeToken
                    ? t('set.hfTokenWillRemove')
                    : settings.hfTokenCheck?.state === 'valid'
                      ? t('set.hfTokenOwner', { name: settings.hfTokenCheck.name })
                      : settings.hfTokenCheck?.state === 'unchecked'
                        ? t('set.hfTokenUnchecked', { reason: settings.hfTokenCheck.reason })
                        : settings.hasHfToken
                          ? t('set.hfTokenSet')
                          : t('set.hfTokenUnset')
                }
                onChange={(hfToken) => set({ hfToken, removeToken: false })}
              >
                {settings.hasHfToken && (
                  <button
                    type="button"
                    className="btn btn--small field__addon"
                    aria-pressed={draft.removeToken}
                    onClick={() => set({ removeToken: !draft.removeToken, hfToken: '' })}
                  >
                    {t('set.hfTokenRemove')}
                  </button>
                )}
              </TextField>
            )}
            {settings.hasHfToken && settings.hfTokenStorage && settings.hfTokenStorage !== 'environment' && (
              <p className="settings__note" id="set-token-storage" data-testid="token-storage">
                {say(storageKey(settings.hfTokenStorage))}
              </p>
            )}
            {askKeep && tokenIsNew && keepOnDisk}
            <TextField
              id="set-hf-url"
              type="url"
              label={t('set.hfUrl')}
              value={draft.hfUrl}
              placeholder="https://huggingface.co"
              error={errors.hfUrl}
              hint={withNote(t('set.hfUrlHint'), draft.hfUrl)}
              onChange={(hfUrl) => set({ hfUrl })}
            />
            {settings.tokenOrigins.length > 0 && (
              <div className="settings__origins" data-testid="token-origins">
                <p className="field__label">{say('origins.title')}</p>
                <ul>
                  {settings.tokenOrigins.map((origin) => {
                    const kept = draft.tokenOrigins.includes(origin);
                    return (
                      <li key={origin}>
                        <span className="settings__origin">{origin}</span>
                        {!kept && <span className="field__hint"> {say('origins.willForget')}</span>}
                        <button
                          type="button"
                          className="btn btn--small"
                          aria-pressed={!kept}
                          aria-label={say('origins.forgetLabel', { origin })}
                          onClick={() =>
                            set({
                              tokenOrigins: kept
                                ? draft.tokenOrigins.filter((o) => o !== origin)
                                : [...draft.tokenOrigins, origin],
                            })
                          }
                        >
                          {say('origins.forget')}
                        </button>
                      </li>
                    );
                  })}
                </ul>
              </div>
            )}
          </fieldset>

          <fieldset className="settings__group">
            <legend>{t('set.spaces')}</legend>
            <SpaceStates providers={providerInfos} onProviders={onProviders} focusRef={spacesRef} />
            {providerRows.map((p) => (
              <TextField
                key={p.id}
                id={`set-url-${p.id}`}
                type="url"
                label={t('set.spaceUrl', { provider: p.label })}
                value={draft.providerUrls[p.id]}
                placeholder={p.defaultUrl || undefined}
                error={errors[`url:${p.id}`]}
                hint={withNote(
                  p.defaultUrl ? t('set.spaceUrlHint', { url: p.defaultUrl }) : undefined,
                  draft.providerUrls[p.id],
                )}
                onChange={(v) => set({ providerUrls: { ...draft.providerUrls, [p.id]: v } })}
              />
            ))}
          </fieldset>

          <fieldset className="settings__group" data-testid="settings-custom-spaces">
            <legend>{t('set.customSpaces')}</legend>
            <SavedSpaces
              spaces={customSpaces}
              providers={models.providers}
              onAdd={() => setSpaceDialog({ mode: 'add' })}
              onEdit={(space) => setSpaceDialog({ mode: 'edit', space })}
              onRemoved={(id) => setCustomSpaces((list) => list.filter((s) => s.id !== id))}
              onProviders={onProviders}
              addRef={addSpaceRef}
            />
          </fieldset>

          <fieldset className="settings__group" data-testid="settings-order">
            <legend>{t('set.order')}</legend>
            <FallbackOrder
              order={draft.aliasOrder}
              providers={models.providers}
              onChange={(aliasOrder) => set({ aliasOrder })}
            />
          </fieldset>

          <fieldset className="settings__group" data-testid="settings-inference">
            <legend>{t('set.inference')}</legend>
            <div ref={inferenceRef} />
            <InferenceSection
              draft={draft.inference}
              onChange={(inference) => set({ inference })}
              errors={errors}
              hasToken={settings.hasHfToken || (!draft.removeToken && draft.hfToken.trim() !== '')}
            />
          </fieldset>

          <fieldset className="settings__group">
            <legend>{t('set.network')}</legend>
            <TextField
              id="set-proxy"
              type="url"
              label={t('set.proxy')}
              value={draft.proxy}
              placeholder="http://127.0.0.1:8080"
              error={errors.proxy}
              hint={proxyPasswordNote ? `${t('set.proxyHint')} ${proxyPasswordNote}` : t('set.proxyHint')}
              onChange={(proxy) => set({ proxy })}
            />
            {askKeep && !tokenIsNew && keepOnDisk}
          </fieldset>

          <fieldset className="settings__group" data-testid="settings-queue">
            <legend>{t('set.queue')}</legend>
            <QueueSection draft={draft} errors={errors} providers={models.providers} onChange={set} />
          </fieldset>

          <fieldset className="settings__group" data-testid="settings-notifications">
            <legend>{t('set.notifications')}</legend>
            <NotificationsSection
              value={draft.notifications}
              transport={info?.transport ?? null}
              onChange={(notifications) => set({ notifications })}
            />
          </fieldset>
          {info && (
            <p className="settings__about">{t('set.about', { version: info.version, transport: info.transport })}</p>
          )}
        </div>

        <footer className="settings__footer">
          <button type="button" className="btn" onClick={onClose}>
            {t('set.cancel')}
          </button>
          {busy === 'checking-token' && (
            <span className="settings__busy" role="status">
              {t('set.checkingToken')}
            </span>
          )}
          {/* aria-disabled, not disabled: a disabled button would drop the keyboard focus (Escape, Tab). */}
          <button type="submit" className="btn btn--primary" aria-disabled={busy !== null}>
            {t('set.save')}
          </button>
        </footer>
      </form>
      {/* Outside the settings form: its own forms' Enter and submit stay its own. */}
      {spaceDialog && (
        <SpaceDialog
          target={spaceDialog}
          saved={customSpaces}
          onClose={() => setSpaceDialog(null)}
          onSaved={(space, mode) => {
            setCustomSpaces((list) =>
              list.some((s) => s.id === space.id) ? list.map((s) => (s.id === space.id ? space : s)) : [...list, space],
            );
            setSpaceDialog(null);
            toasts.show({
              message: t(mode === 'add' ? 'space.added' : 'space.updated', { label: space.label }),
              tone: 'success',
            });
          }}
        />
      )}
    </Modal>
  );
}
