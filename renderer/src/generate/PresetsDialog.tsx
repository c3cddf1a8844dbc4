import { useEffect, useId, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { LIMITS } from '../../../shared/constants';
import type { Preset, PresetsState, Style } from '../../../shared/queue';
import { api } from '../bridge';
import { errorText, toInfo } from '../i18n/errors';
import { useI18n, type I18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';
import { IconButton } from '../ui/IconButton';
import { Modal } from '../ui/Modal';
import { useToasts } from '../ui/toast-context';
import type { FormState } from './form';
import {
  formMatchesPreset,
  presetFromForm,
  presetNameProblem,
  sameName,
  styleFromDraft,
  styledPrompt,
  styleProblems,
  type StyleDraft,
  type StyleProblem,
} from './presets';
import { providerName } from './providers';
import type { Models } from './useModels';
import './history-dialog.css';

type Tab = 'presets' | 'styles';

/** A preset in one line: what it sets. */
export function presetSummary(i18n: I18n, p: Preset, models: Models): string {
  const { t } = i18n;
  return [
    p.model ? t(`gen.model.${p.model}`) : null,
    p.provider ? providerName(p.provider, models.providers) : t('pre.auto'),
    p.width !== undefined && p.height !== undefined ? `${p.width} × ${p.height}` : (p.aspectRatio ?? null),
    p.steps !== undefined ? t('pre.steps', { n: p.steps }) : t('pre.autoSteps'),
    p.guidance !== undefined ? t('pre.guidance', { n: i18n.formatNumber(p.guidance) }) : null,
    p.randomizeSeed === false && p.seed !== undefined ? t('pre.seed', { seed: p.seed }) : t('pre.randomSeed'),
    p.style ? t('pre.styleNamed', { name: p.style }) : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

const EMPTY_STYLE: StyleDraft = { name: '', template: '', negativePrompt: '' };
const FILE_NAME = 'flux-gallery-presets.json';
/** presets:import's limit on the file's text. */
const MAX_IMPORT_CHARS = 2_000_000;

/**
 * Presets (named sets of the panel's parameters: save the current ones, apply, delete) and styles
 * (named prompt templates with `{prompt}`: new, edit, use, delete), in two tabs; both exported to
 * and imported from one JSON file. A deletion can be undone from its toast.
 */
export function PresetsDialog({
  tab: initialTab,
  state,
  onState,
  form,
  models,
  onApply,
  onUseStyle,
  onClose,
}: {
  tab: Tab;
  state: PresetsState | null;
  onState: (s: PresetsState) => void;
  form: FormState;
  models: Models;
  onApply: (preset: Preset) => void;
  onUseStyle: (name: string) => void;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const toasts = useToasts();
  const id = useId();
  const [tab, setTab] = useState<Tab>(initialTab);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ original: string | null; draft: StyleDraft } | null>(null);
  const [styleTried, setStyleTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const styleNameRef = useRef<HTMLInputElement>(null);
  const newStyleRef = useRef<HTMLButtonElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ presets: null, styles: null });
  /** What takes focus once the change has rendered. */
  const refocus = useRef<(() => HTMLElement | null | undefined) | null>(null);
  useEffect(() => {
    const want = refocus.current;
    if (!want) return;
    refocus.current = null;
    want()?.focus();
  });

  const presets = state?.presets ?? [];
  const styles = state?.styles ?? [];
  const fail = (err: unknown) => toasts.show({ message: errorText(i18n, toInfo(err)), tone: 'error' });
  const run = async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    if (busy) return undefined;
    setBusy(true);
    try {
      return await work();
    } catch (err) {
      fail(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  };

  // ---- presets ----
  const existing = presets.find((p) => sameName(p.name, name));
  const savePreset = async () => {
    const problem = presetNameProblem(name);
    if (problem) {
      setNameError(t(`sty.err.${problem}`, { max: 80 }));
      nameRef.current?.focus();
      return;
    }
    const preset = presetFromForm(name, form);
    const next = await run(() => api.invoke('presets:save', preset));
    if (!next) return;
    onState(next);
    setName('');
    setNameError(null);
    toasts.show({ message: t('pre.saved', { name: preset.name }), tone: 'success' });
    refocus.current = () => nameRef.current;
  };
  const deletePreset = async (preset: Preset, i: number) => {
    const next = await run(() => api.invoke('presets:delete', { name: preset.name }));
    if (!next) return;
    onState(next);
    const neighbour = next.presets[Math.min(i, next.presets.length - 1)];
    refocus.current = () =>
      (neighbour &&
        document.querySelector<HTMLElement>(`[data-preset="${CSS.escape(neighbour.name)}"] .presets__apply`)) ||
      nameRef.current;
    toasts.show({
      message: t('pre.deleted', { name: preset.name }),
      action: {
        label: t('lb.undo'),
        run: () => void api.invoke('presets:save', preset).then(onState, fail),
      },
    });
  };

  // ---- styles ----
  const others = styles.filter((s) => !editing?.original || !sameName(s.name, editing.original)).map((s) => s.name);
  const problems = editing ? styleProblems(editing.draft, others) : {};
  const problemText = (p: StyleProblem | undefined) =>
    p ? t(`sty.err.${p}`, { max: i18n.formatNumber(p === 'name-long' ? 80 : LIMITS.promptMaxLength) }) : undefined;
  const shown = (field: 'name' | 'template' | 'negativePrompt') =>
    styleTried || (editing && field === 'template' && editing.draft.template !== '')
      ? problemText(problems[field])
      : undefined;
  const startEdit = (style: Style | null) => {
    setStyleTried(false);
    setEditing(
      style
        ? {
            original: style.name,
            draft: { name: style.name, template: style.template, negativePrompt: style.negativePrompt ?? '' },
          }
        : { original: null, draft: { ...EMPTY_STYLE, template: '{prompt}' } },
    );
    refocus.current = () => styleNameRef.current;
  };
  const saveStyle = async () => {
    if (!editing) return;
    setStyleTried(true);
    const first = (['name', 'template', 'negativePrompt'] as const).find((f) => problems[f]);
    if (first) {
      document.getElementById(`${id}-style-${first}`)?.focus();
      return;
    }
    const style = styleFromDraft(editing.draft);
    const next = await run(async () => {
      let s = await api.invoke('styles:save', style);
      // Renamed: the old name goes (a form using it is told so).
      if (editing.original && !sameName(editing.original, style.name))
        s = await api.invoke('styles:delete', { name: editing.original });
      return s;
    });
    if (!next) return;
    onState(next);
    setEditing(null);
    toasts.show({ message: t('sty.saved', { name: style.name }), tone: 'success' });
    refocus.current = () =>
      document.querySelector<HTMLElement>(`[data-style="${CSS.escape(style.name)}"] .presets__use`) ??
      newStyleRef.current;
  };
  const deleteStyle = async (style: Style, i: number) => {
    const next = await run(() => api.invoke('styles:delete', { name: style.name }));
    if (!next) return;
    onState(next);
    const neighbour = next.styles[Math.min(i, next.styles.length - 1)];
    refocus.current = () =>
      (neighbour &&
        document.querySelector<HTMLElement>(`[data-style="${CSS.escape(neighbour.name)}"] .presets__use`)) ||
      newStyleRef.current;
    toasts.show({
      message: t('pre.deleted', { name: style.name }),
      action: { label: t('lb.undo'), run: () => void api.invoke('styles:save', style).then(onState, fail) },
    });
  };

  // ---- file ----
  const exportFile = async () => {
    const answer = await run(() => api.invoke('presets:export', undefined));
    if (!answer) return;
    const url = URL.createObjectURL(new Blob([answer.json], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = FILE_NAME;
    a.style.display = 'none';
    document.body.append(a);
    a.click();
    a.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
    toasts.show({ message: t('pre.exported', { file: FILE_NAME }), tone: 'success' });
  };
  const importFile = async (file: File) => {
    const refuse = (reason: string) =>
      toasts.show({ message: t('pre.importFailed', { file: file.name, reason }), tone: 'error' });
    if (file.size > MAX_IMPORT_CHARS * 4) return refuse(t('pre.importTooLarge'));
    let json: string;
    try {
      json = await file.text();
      JSON.parse(json);
    } catch {
      return refuse(t('pre.importNotJson'));
    }
    if (json.length > MAX_IMPORT_CHARS) return refuse(t('pre.importTooLarge'));
    if (busy) return;
    setBusy(true);
    try {
      const r = await api.invoke('presets:import', { json });
      onState({ presets: r.presets, styles: r.styles });
      toasts.show({
        message: t('pre.imported', { file: file.name, added: r.added, replaced: r.replaced }),
        tone: 'success',
      });
    } catch (err) {
      refuse(errorText(i18n, toInfo(err)));
    } finally {
      setBusy(false);
    }
  };

  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    const next: Tab =
      e.key === 'Home' ? 'presets' : e.key === 'End' ? 'styles' : tab === 'presets' ? 'styles' : 'presets';
    setTab(next);
    tabRefs.current[next]?.focus();
  };
  const tabButton = (which: Tab, label: string) => (
    <button
      type="button"
      role="tab"
      id={`${id}-tab-${which}`}
      ref={(el) => {
        tabRefs.current[which] = el;
      }}
      className="presets__tab"
      aria-selected={tab === which}
      aria-controls={`${id}-panel-${which}`}
      tabIndex={tab === which ? 0 : -1}
      onClick={() => setTab(which)}
      onKeyDown={onTabKey}
      data-testid={`presets-tab-${which}`}
    >
      {label}
    </button>
  );

  return (
    <Modal
      labelledBy={`${id}-title`}
      onClose={onClose}
      className="presets"
      initialFocus={initialTab === 'presets' ? nameRef : newStyleRef}
      onKeyDown={(e) => {
        // Escape leaves the style editor first.
        if (e.key === 'Escape' && editing) {
          e.preventDefault();
          e.stopPropagation();
          setEditing(null);
          refocus.current = () => newStyleRef.current;
        }
      }}
    >
      <header className="presets__header">
        <h2 id={`${id}-title`} className="panel-title">
          {t('pre.title')}
        </h2>
        <IconButton icon="close" label={t('pre.close')} onClick={onClose} />
      </header>
      <div className="presets__tabs" role="tablist" aria-labelledby={`${id}-title`}>
        {tabButton('presets', t('pre.tabPresets'))}
        {tabButton('styles', t('pre.tabStyles'))}
      </div>
      <div className="presets__body">
        {tab === 'presets' ? (
          <div
            className="presets__panel"
            role="tabpanel"
            id={`${id}-panel-presets`}
            aria-labelledby={`${id}-tab-presets`}
            data-testid="presets-panel"
          >
            <form
              className="presets__save"
              onSubmit={(e) => {
                e.preventDefault();
                void savePreset();
              }}
            >
              <div className={nameError ? 'field field--invalid' : 'field'}>
                <label className="field__label" htmlFor={`${id}-preset-name`}>
                  {t('pre.saveAs')}
                </label>
                <div className="field__control">
                  <input
                    ref={nameRef}
                    id={`${id}-preset-name`}
                    className="input"
                    value={name}
                    maxLength={120}
                    placeholder={t('pre.namePlaceholder')}
                    autoComplete="off"
                    aria-invalid={nameError ? true : undefined}
                    aria-describedby={`${id}-preset-hint${nameError ? ` ${id}-preset-error` : ''}`}
                    onChange={(e) => {
                      setName(e.target.value);
                      setNameError(null);
                    }}
                    data-testid="preset-name"
                  />
                  <button
                    type="submit"
                    className="btn btn--primary"
                    aria-disabled={busy || undefined}
                    data-testid="preset-save"
                  >
                    {existing ? t('pre.replace') : t('pre.save')}
                  </button>
                </div>
                {nameError && (
                  <p id={`${id}-preset-error`} className="field__error">
                    {nameError}
                  </p>
                )}
                <p id={`${id}-preset-hint`} className="field__hint">
                  {existing ? t('pre.replaceNote', { name: existing.name }) : t('pre.keeps')}
                </p>
              </div>
            </form>
            {state && presets.length === 0 && <p className="presets__empty">{t('pre.none')}</p>}
            {presets.length > 0 && (
              <ul className="presets__list" aria-label={t('pre.tabPresets')} data-testid="preset-list">
                {presets.map((p, i) => (
                  <li key={p.name} className="presets__row" data-testid="preset-row" data-preset={p.name}>
                    <span className="presets__text">
                      <span className="presets__name">
                        {p.name}
                        {formMatchesPreset(form, p, models) && (
                          <span className="presets__current">· {t('pre.current')}</span>
                        )}
                      </span>
                      <span className="presets__summary">{presetSummary(i18n, p, models)}</span>
                    </span>
                    <span className="presets__tools">
                      <button
                        type="button"
                        className="btn btn--small presets__apply"
                        aria-label={t('pre.applyLabel', { name: p.name })}
                        onClick={() => onApply(p)}
                        data-testid="preset-apply"
                      >
                        {t('pre.apply')}
                      </button>
                      <IconButton
                        icon="trash"
                        small
                        label={t('pre.deleteLabel', { name: p.name })}
                        onClick={() => void deletePreset(p, i)}
                        data-testid="preset-delete"
                      />
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        ) : (
          <div
            className="presets__panel"
            role="tabpanel"
            id={`${id}-panel-styles`}
            aria-labelledby={`${id}-tab-styles`}
            data-testid="styles-panel"
          >
            {editing ? (
              <form
                className="presets__editor"
                data-testid="style-editor"
                noValidate
                onSubmit={(e) => {
                  e.preventDefault();
                  void saveStyle();
                }}
              >
                <EditorField
                  id={`${id}-style-name`}
                  label={t('sty.name')}
                  error={shown('name')}
                  inputRef={styleNameRef}
                  value={editing.draft.name}
                  onChange={(v) => setEditing({ ...editing, draft: { ...editing.draft, name: v } })}
                  testId="style-name"
                />
                <EditorField
                  id={`${id}-style-template`}
                  label={t('sty.template')}
                  error={shown('template')}
                  hint={t('sty.templateHint')}
                  multiline
                  value={editing.draft.template}
                  onChange={(v) => setEditing({ ...editing, draft: { ...editing.draft, template: v } })}
                  testId="style-template"
                />
                <EditorField
                  id={`${id}-style-negativePrompt`}
                  label={t('sty.negative')}
                  error={shown('negativePrompt')}
                  hint={t('sty.negativeHint')}
                  multiline
                  value={editing.draft.negativePrompt}
                  onChange={(v) => setEditing({ ...editing, draft: { ...editing.draft, negativePrompt: v } })}
                  testId="style-negative"
                />
                {editing.draft.template.includes('{prompt}') && (
                  <p className="presets__preview" data-testid="style-preview">
                    {t('sty.preview', {
                      example: t('sty.example'),
                      result: styledPrompt(editing.draft.template, t('sty.example')),
                    })}
                  </p>
                )}
                <div className="presets__editor-buttons">
                  <button
                    type="button"
                    className="btn"
                    onClick={() => {
                      setEditing(null);
                      refocus.current = () => newStyleRef.current;
                    }}
                  >
                    {t('sty.cancel')}
                  </button>
                  <button
                    type="submit"
                    className="btn btn--primary"
                    aria-disabled={busy || undefined}
                    data-testid="style-save"
                  >
                    {t('sty.save')}
                  </button>
                </div>
              </form>
            ) : (
              <div>
                <button
                  type="button"
                  ref={newStyleRef}
                  className="btn btn--small"
                  onClick={() => startEdit(null)}
                  data-testid="style-new"
                >
                  <Icon name="plus" /> {t('sty.new')}
                </button>
              </div>
            )}
            {state && styles.length === 0 && !editing && <p className="presets__empty">{t('sty.none')}</p>}
            {styles.length > 0 && (
              <ul className="presets__list" aria-label={t('pre.tabStyles')} data-testid="style-list">
                {styles.map((s, i) => (
                  <li key={s.name} className="presets__row" data-testid="style-row" data-style={s.name}>
                    <span className="presets__text">
                      <span className="presets__name">
                        {s.name}
                        {sameName(s.name, form.style) && <span className="presets__current">· {t('sty.inUse')}</span>}
                      </span>
                      <span className="presets__template">{s.template}</span>
                      {s.negativePrompt && <span className="presets__summary">− {s.negativePrompt}</span>}
                    </span>
                    <span className="presets__tools">
                      <button
                        type="button"
                        className="btn btn--small presets__use"
                        aria-label={t('sty.useLabel', { name: s.name })}
                        onClick={() => onUseStyle(s.name)}
                        data-testid="style-use"
                      >
                        {t('sty.use')}
                      </button>
                      <IconButton
                        icon="edit"
                        small
                        label={t('sty.editLabel', { name: s.name })}
                        onClick={() => startEdit(s)}
                        data-testid="style-edit-row"
                      />
                      <IconButton
                        icon="trash"
                        small
                        label={t('sty.deleteLabel', { name: s.name })}
                        onClick={() => void deleteStyle(s, i)}
                        data-testid="style-delete"
                      />
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
      <footer className="presets__footer">
        <p className="field__hint presets__file-hint">{t('pre.fileHint')}</p>
        <button
          type="button"
          className="btn btn--small"
          aria-label={t('pre.importLabel')}
          title={t('pre.importLabel')}
          onClick={() => fileRef.current?.click()}
          data-testid="presets-import"
        >
          <Icon name="upload" /> {t('pre.import')}
        </button>
        <input
          ref={fileRef}
          type="file"
          accept=".json,application/json"
          className="presets__file"
          tabIndex={-1}
          aria-hidden="true"
          data-testid="presets-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void importFile(file);
          }}
        />
        <button
          type="button"
          className="btn btn--small"
          aria-label={t('pre.exportLabel')}
          title={t('pre.exportLabel')}
          onClick={() => void exportFile()}
          data-testid="presets-export"
        >
          <Icon name="download" /> {t('pre.export')}
        </button>
      </footer>
    </Modal>
  );
}

function EditorField({
  id,
  label,
  value,
  onChange,
  error,
  hint,
  multiline = false,
  inputRef,
  testId,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error: string | undefined;
  hint?: string;
  multiline?: boolean;
  inputRef?: Ref<HTMLInputElement>;
  testId: string;
}) {
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    className: 'input',
    value,
    autoComplete: 'off',
    spellCheck: false,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    'data-testid': testId,
  } as const;
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {multiline ? (
        <textarea {...common} rows={2} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} ref={inputRef} maxLength={120} onChange={(e) => onChange(e.target.value)} />
      )}
      {error && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
      {hint && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
    </div>
  );
}
