import { useEffect, useRef, useState, type FormEvent } from 'react';
import { MODEL_ALIASES, type ModelAlias } from '../../../shared/constants';
import type { ErrorInfo } from '../../../shared/errors';
import type { SavedSpace } from '../../../shared/spaces';
import { api } from '../bridge';
import { errorText, toInfo } from '../i18n/errors';
import { useI18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';
import { IconButton } from '../ui/IconButton';
import { Modal } from '../ui/Modal';
import { TextField } from '../ui/TextField';
import { MappingTable } from './MappingTable';
import {
  addArgs,
  addDraftFrom,
  currentEndpoint,
  editDraftFrom,
  endpointName,
  mappingProblems,
  toggleAlias,
  updateArgs,
  type AddDraft,
  type EditDraft,
} from './space-form';

export type SpaceDialogTarget = { mode: 'add' } | { mode: 'edit'; space: SavedSpace };

/**
 * Adding a Space (its id or URL is inspected, then the user checks the label, the endpoint, how its
 * inputs map to the app's parameters, and the models it serves) or editing a saved one. Nothing is
 * saved until Save; a Space the app cannot use is refused in words.
 */
export function SpaceDialog({
  target,
  saved,
  onSaved,
  onClose,
}: {
  target: SpaceDialogTarget;
  /** The Spaces saved so far (to say when this one is among them). */
  saved: readonly SavedSpace[];
  onSaved: (space: SavedSpace, mode: SpaceDialogTarget['mode']) => void;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [url, setUrl] = useState('');
  const [urlError, setUrlError] = useState<string | undefined>();
  const [inspecting, setInspecting] = useState(false);
  const [inspectError, setInspectError] = useState<ErrorInfo | null>(null);
  const [add, setAdd] = useState<AddDraft | null>(null);
  const [edit, setEdit] = useState<EditDraft | null>(() =>
    target.mode === 'edit' ? editDraftFrom(target.space) : null,
  );
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ErrorInfo | null>(null);
  const [tried, setTried] = useState(false);
  const urlRef = useRef<HTMLInputElement>(null);
  const labelRef = useRef<HTMLInputElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const asked = useRef(0);
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  const inspect = async (e?: FormEvent) => {
    e?.preventDefault();
    e?.stopPropagation();
    if (inspecting) return;
    const text = url.trim();
    if (!text) {
      setUrlError(t('space.urlEmpty'));
      urlRef.current?.focus();
      return;
    }
    const ticket = ++asked.current;
    setInspecting(true);
    setInspectError(null);
    setSaveError(null);
    setAdd(null);
    setTried(false);
    try {
      const inspection = await api.invoke('spaces:inspect', { url: text });
      if (!live.current || ticket !== asked.current) return;
      if (inspection.endpoints.length === 0) {
        setInspectError({
          code: inspection.fileInputEndpoints.length > 0 ? 'needs-file-input' : 'no-text-to-image',
          message: '',
        });
        return;
      }
      setAdd(addDraftFrom(text, inspection));
    } catch (err) {
      if (live.current && ticket === asked.current) setInspectError(toInfo(err));
    } finally {
      if (live.current && ticket === asked.current) setInspecting(false);
    }
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    e.stopPropagation();
    if (saving) return;
    setTried(true);
    setSaveError(null);
    const mapping = add ? add.mappings[add.endpoint] : edit?.mapping;
    if (!mapping || mappingProblems(mapping).length > 0) {
      document.querySelector<HTMLElement>('.space-dialog [data-testid="mapping-select"]')?.focus();
      return;
    }
    setSaving(true);
    try {
      if (add) {
        const space = await api.invoke('spaces:add', addArgs(add));
        if (live.current) onSaved(space, 'add');
      } else if (edit) {
        const args = updateArgs(edit);
        if (!args) return onClose();
        const space = await api.invoke('spaces:update', args);
        if (live.current) onSaved(space, 'edit');
      }
    } catch (err) {
      if (!live.current) return;
      setSaveError(toInfo(err));
      requestAnimationFrame(() => errorRef.current?.focus());
    } finally {
      if (live.current) setSaving(false);
    }
  };

  const inspection = add?.inspection ?? null;
  const endpoint = add ? currentEndpoint(add) : edit?.space.endpoint;
  const mapping = add ? (add.mappings[add.endpoint] ?? []) : (edit?.mapping ?? []);
  const label = add ? add.label : (edit?.label ?? '');
  const aliases = add ? add.aliases : (edit?.aliases ?? []);
  const setLabel = (v: string) => (add ? setAdd({ ...add, label: v }) : edit && setEdit({ ...edit, label: v }));
  const setAliases = (v: ModelAlias[]) =>
    add ? setAdd({ ...add, aliases: v }) : edit && setEdit({ ...edit, aliases: v });
  const setMapping = (m: typeof mapping) =>
    add
      ? setAdd({ ...add, mappings: add.mappings.map((x, i) => (i === add.endpoint ? m : x)) })
      : edit && setEdit({ ...edit, mapping: m });
  const already = inspection ? saved.find((s) => s.id === inspection.providerId) : undefined;
  const title = target.mode === 'add' ? t('space.addTitle') : t('space.editTitle', { label: target.space.label });
  const idPrefix = target.mode === 'add' ? 'space-add' : 'space-edit';

  return (
    <Modal
      labelledBy="space-dialog-title"
      onClose={onClose}
      className="space-dialog"
      initialFocus={target.mode === 'add' ? urlRef : labelRef}
    >
      <header className="settings__header">
        <h2 id="space-dialog-title" className="panel-title">
          {title}
        </h2>
        <IconButton icon="close" label={t('space.close')} onClick={onClose} />
      </header>
      <div className="space-dialog__body">
        {target.mode === 'add' && (
          // Its own form: Enter in the field inspects.
          <form className="space-dialog__find" onSubmit={inspect} noValidate>
            <TextField
              id="space-url"
              inputRef={urlRef}
              label={t('space.url')}
              value={url}
              placeholder={t('space.urlPlaceholder')}
              error={urlError}
              hint={t('space.urlHint')}
              onChange={(v) => {
                setUrl(v);
                setUrlError(undefined);
                setInspectError(null);
              }}
            >
              <button
                type="submit"
                className="btn btn--small field__addon"
                aria-disabled={inspecting || undefined}
                data-testid="space-inspect"
              >
                <Icon name="search" /> {inspecting ? t('space.inspecting') : t('space.inspect')}
              </button>
            </TextField>
            <p className="field__hint" role="status" data-testid="space-inspect-status">
              {inspecting
                ? t('space.inspectingLong')
                : inspection
                  ? i18n.tn('space.found', inspection.endpoints.length, {
                      version: inspection.gradioVersion ?? t('space.versionUnknown'),
                    })
                  : ''}
            </p>
            {inspecting && (
              <div className="progress progress--indeterminate" aria-hidden="true">
                <div className="progress__bar" />
              </div>
            )}
            {inspectError && (
              <div
                className="notice notice--error"
                role="alert"
                data-testid="space-inspect-error"
                data-code={inspectError.code}
              >
                <Icon name="alert" />
                <span>{errorText(i18n, inspectError)}</span>
              </div>
            )}
          </form>
        )}

        {endpoint && (add || edit) && (
          <form id="space-save-form" className="space-dialog__details" onSubmit={save} noValidate>
            <dl className="space-dialog__facts" data-testid="space-facts">
              <div>
                <dt>{t('space.id')}</dt>
                <dd>
                  {add ? (add.inspection.spaceId ?? t('space.local')) : (edit!.space.spaceId ?? t('space.local'))}
                </dd>
              </div>
              <div>
                <dt>{t('space.address')}</dt>
                <dd className="space-dialog__url">{add ? add.inspection.baseUrl : edit!.space.baseUrl}</dd>
              </div>
              {add && (
                <div>
                  <dt>{t('space.gradio')}</dt>
                  <dd data-testid="space-gradio">{add.inspection.gradioVersion ?? t('space.versionUnknown')}</dd>
                </div>
              )}
              {edit && (
                <div>
                  <dt>{t('space.endpoint')}</dt>
                  <dd>{endpointName(edit.space.endpoint)}</dd>
                </div>
              )}
            </dl>
            {already && (
              <p className="notice notice--warning" data-testid="space-already">
                <Icon name="alert" /> {t('space.already', { label: already.label })}
              </p>
            )}
            <TextField
              id={`${idPrefix}-label`}
              inputRef={labelRef}
              label={t('space.label')}
              value={label}
              hint={t('space.labelHint')}
              onChange={setLabel}
            />
            {add && add.inspection.endpoints.length > 1 && (
              <div className="field">
                <label className="field__label" htmlFor="space-endpoint">
                  {t('space.endpoint')}
                </label>
                <select
                  id="space-endpoint"
                  className="input select"
                  value={add.endpoint}
                  onChange={(e) => setAdd({ ...add, endpoint: Number(e.target.value) })}
                >
                  {add.inspection.endpoints.map((ep, i) => (
                    <option key={`${ep.fnIndex}`} value={i}>
                      {i18n.tn('space.endpointOption', ep.inputs.length, { name: endpointName(ep) })}
                    </option>
                  ))}
                </select>
              </div>
            )}
            {add && add.inspection.fileInputEndpoints.length > 0 && (
              <p className="field__hint" data-testid="space-file-endpoints">
                {t('space.fileEndpoints', {
                  names: add.inspection.fileInputEndpoints
                    .map((n) => (n.startsWith('/') || n.startsWith('#') ? n : `/${n}`))
                    .join(', '),
                })}
              </p>
            )}
            <MappingTable
              key={add ? `${add.endpoint}` : 'edit'}
              endpoint={endpoint}
              mapping={mapping}
              onChange={setMapping}
              idPrefix={idPrefix}
            />
            <fieldset className="space-dialog__aliases">
              <legend className="field__label">{t('space.aliases')}</legend>
              <div className="space-dialog__checks">
                {MODEL_ALIASES.map((alias) => (
                  <label key={alias} className="settings__check">
                    <input
                      type="checkbox"
                      data-alias={alias}
                      checked={aliases.includes(alias)}
                      onChange={(e) => setAliases(toggleAlias(aliases, alias, e.target.checked, MODEL_ALIASES))}
                    />
                    <span>{t(`gen.model.${alias}`)}</span>
                  </label>
                ))}
              </div>
              <p className="field__hint">{aliases.length === 0 ? t('space.aliasesNone') : t('space.aliasesSome')}</p>
            </fieldset>
            {tried && mappingProblems(mapping).length > 0 && (
              <p className="visually-hidden" role="alert">
                {t('space.mapNoPrompt')}
              </p>
            )}
            {saveError && (
              <div
                className="notice notice--error"
                role="alert"
                tabIndex={-1}
                ref={errorRef}
                data-testid="space-save-error"
                data-code={saveError.code}
              >
                <Icon name="alert" />
                <span>{errorText(i18n, saveError)}</span>
              </div>
            )}
          </form>
        )}
      </div>
      <footer className="settings__footer">
        {saving && (
          <span className="settings__busy" role="status">
            {target.mode === 'add' ? t('space.saving') : t('space.updating')}
          </span>
        )}
        <button type="button" className="btn" onClick={onClose}>
          {t('set.cancel')}
        </button>
        {(add || edit) && (
          <button
            type="submit"
            form="space-save-form"
            className="btn btn--primary"
            aria-disabled={saving || undefined}
            data-testid="space-save"
          >
            {target.mode === 'add' ? t('space.save') : t('set.save')}
          </button>
        )}
      </footer>
    </Modal>
  );
}
