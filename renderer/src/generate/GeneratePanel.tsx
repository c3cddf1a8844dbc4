import { useEffect, useRef, useState, type FormEvent } from 'react';
import { LIMITS } from '../../../shared/constants';
import type { ErrorInfo } from '../../../shared/errors';
import type { JobState } from '../../../shared/events';
import { api } from '../bridge';
import { errorText, toInfo } from '../i18n/errors';
import { useI18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';
import { IconButton } from '../ui/IconButton';
import { NumberField } from '../ui/NumberField';
import { AspectPicker } from './AspectPicker';
import {
  INITIAL_FORM,
  effectiveProvider,
  guidanceApplies,
  pinnedProvider,
  sendSize,
  sizeRules,
  type FieldName,
  type FormState,
} from './form';
import { ModelFields } from './ModelFields';
import { PromptField } from './PromptField';
import { SeedField } from './SeedField';
import { SizeFields } from './SizeFields';
import { SpaceControls } from './SpaceControls';
import type { Models } from './useModels';
import { loadValidate, useValidate } from './useValidate';
import './generate.css';

/**
 * The generation form. Values are checked as they change with the shared schema; errors show for
 * fields the user touched (all of them after a submit attempt), and nothing is sent while any remain.
 */
export function GeneratePanel({
  form,
  onChange,
  models,
  online,
  hasToken = false,
  focusSignal,
  onStarted,
}: {
  form: FormState;
  onChange: (form: FormState) => void;
  models: Models;
  online: boolean;
  /** A Hugging Face token is set (Inference Providers need one). */
  hasToken?: boolean;
  /** Changes when the prompt should take focus (after reuse or import). */
  focusSignal: number;
  onStarted: (jobs: JobState[]) => void;
}) {
  const i18n = useI18n();
  const { t, tn } = i18n;
  const [touched, setTouched] = useState<ReadonlySet<FieldName>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [sendError, setSendError] = useState<ErrorInfo | null>(null);
  const promptRef = useRef<HTMLTextAreaElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (focusSignal > 0) promptRef.current?.focus();
  }, [focusSignal]);

  const provider = effectiveProvider(form, models);
  const pinned = pinnedProvider(form, models);
  const rules = sizeRules(provider);
  const validate = useValidate();
  // null for the moment the validator loads (just after the first screen): no errors to show yet.
  const result = validate ? validate(form, i18n, rules, pinned) : null;
  const allErrors = result && !result.ok ? result.errors : {};
  const errors = Object.fromEntries(
    Object.entries(allErrors).filter(([k]) => submitted || touched.has(k as FieldName)),
  ) as typeof allErrors;

  // Exactly what the provider computes from the same rules: the size on the wire.
  const outcome = sendSize(form, rules);
  const sent = outcome?.ok ? { width: outcome.width, height: outcome.height } : null;
  const usesGuidance = guidanceApplies(form, models);
  // With a preset, the fields show what the preset sends on this provider.
  const shownWidth = form.customSize ? form.width : String(sent?.width ?? '');
  const shownHeight = form.customSize ? form.height : String(sent?.height ?? '');
  const count = Number(form.count);

  const update = (patch: Partial<FormState>, fields: FieldName[] = []) => {
    if (fields.length) setTouched((s) => new Set([...s, ...fields]));
    setSendError(null);
    onChange({ ...form, ...patch });
  };

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy) return;
    setSubmitted(true);
    let checked = result;
    if (!checked) {
      try {
        checked = (await loadValidate())(form, i18n, rules, pinned);
      } catch (err) {
        setSendError(toInfo(err));
        return;
      }
    }
    if (!checked.ok) {
      // Take the user to the first problem.
      const first = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      (first ?? promptRef.current)?.focus();
      return;
    }
    if (!online) {
      setSendError({ code: 'offline', message: '' });
      return;
    }
    setBusy(true);
    setSendError(null);
    try {
      const { jobs } = await api.invoke('jobs:start', checked.request);
      onStarted(jobs);
      setSubmitted(false);
      setTouched(new Set());
    } catch (err) {
      setSendError(toInfo(err));
    } finally {
      setBusy(false);
    }
  };

  const stepsHint = provider ? t('gen.stepsDefault', { n: provider.defaults.steps }) : t('gen.stepsDefaultUnknown');
  // Left empty, guidance is the provider's own default (FLUX.1 Dev 3.5, an SD Space's 7).
  const guidanceDefault = provider?.defaults.guidance;
  const guidanceHint =
    guidanceDefault !== undefined
      ? t('gen.stepsDefault', { n: i18n.formatNumber(guidanceDefault) })
      : t('gen.stepsDefaultUnknown');

  return (
    <form
      ref={formRef}
      className="gen"
      aria-labelledby="gen-heading"
      noValidate
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          void submit();
        }
      }}
    >
      <div className="gen__scroll">
        <header className="gen__header">
          <h2 id="gen-heading" className="panel-title">
            {t('gen.heading')}
          </h2>
          <IconButton
            icon="reuse"
            label={t('gen.reset')}
            onClick={() => {
              setTouched(new Set());
              setSubmitted(false);
              onChange({ ...INITIAL_FORM, prompt: form.prompt });
            }}
          />
        </header>

        <PromptField
          inputRef={promptRef}
          value={form.prompt}
          error={errors.prompt}
          onChange={(prompt) => update({ prompt }, ['prompt'])}
        />

        <ModelFields
          model={form.model}
          provider={form.provider}
          models={models}
          hasToken={hasToken}
          // Another provider's own controls are not this one's.
          onChange={(change) => update(change.provider !== form.provider ? { ...change, extras: {} } : change)}
        />

        {pinned && (pinned.supportsNegativePrompt || (pinned.extraInputs?.length ?? 0) > 0) && (
          <SpaceControls
            provider={pinned}
            negativePrompt={form.negativePrompt}
            extras={form.extras}
            errors={errors}
            onNegativePrompt={(negativePrompt) => update({ negativePrompt }, ['negativePrompt'])}
            onExtras={(extras, touched) => update({ extras }, touched as FieldName[])}
          />
        )}

        <AspectPicker
          value={form.aspectRatio}
          custom={form.customSize}
          onPick={(aspectRatio) => update({ aspectRatio, customSize: false })}
          // Custom starts from the size the preset would send.
          onCustom={() => update({ customSize: true, width: shownWidth, height: shownHeight })}
        />

        <SizeFields
          width={shownWidth}
          height={shownHeight}
          errors={{ width: errors.width, height: errors.height }}
          sent={sent}
          limits={rules.limits}
          providerLabel={rules.providerLabel}
          onChange={(change) =>
            update({ width: shownWidth, height: shownHeight, ...change, customSize: true }, ['width', 'height'])
          }
        />

        <div className="field-row">
          <NumberField
            id="gen-steps"
            label={t('gen.steps')}
            value={form.steps}
            placeholder={stepsHint}
            min={LIMITS.steps.min}
            max={LIMITS.steps.max}
            error={errors.steps}
            onChange={(steps) => update({ steps }, ['steps'])}
          />
          <NumberField
            id="gen-guidance"
            label={t('gen.guidance')}
            value={form.guidance}
            placeholder={guidanceHint}
            decimal
            step={0.5}
            min={LIMITS.guidance.min}
            max={LIMITS.guidance.max}
            disabled={!usesGuidance}
            error={usesGuidance ? errors.guidance : undefined}
            onChange={(guidance) => update({ guidance }, ['guidance'])}
          />
          <NumberField
            id="gen-count"
            label={t('gen.count')}
            value={form.count}
            min={LIMITS.imagesPerJob.min}
            max={LIMITS.imagesPerJob.max}
            error={errors.count}
            onChange={(c) => update({ count: c }, ['count'])}
          />
        </div>
        {!usesGuidance && <p className="field__hint gen__note">{t('gen.guidanceDevOnly')}</p>}

        <SeedField
          seed={form.seed}
          locked={form.seedLocked}
          count={form.count}
          error={errors.seed}
          onChange={(change) => update(change, change.seed !== undefined ? ['seed'] : [])}
        />
      </div>

      <footer className="gen__footer">
        {!online && (
          <p className="notice notice--warning" role="status" data-testid="offline-notice">
            <Icon name="alert" /> {t('gen.offline')}
          </p>
        )}
        {sendError && (
          <p className="notice notice--error" role="alert" data-testid="generate-error">
            <Icon name="alert" /> {errorText(i18n, sendError)}
          </p>
        )}
        {submitted && result && !result.ok && (
          <p className="notice notice--error" role="alert">
            {t('gen.fixErrors')}
          </p>
        )}
        <button
          type="submit"
          className="btn btn--primary btn--block"
          disabled={busy}
          aria-keyshortcuts="Control+Enter Meta+Enter"
        >
          <Icon name="sparkles" />
          {busy
            ? t('gen.submitting')
            : Number.isInteger(count) && count > 1 && count <= LIMITS.imagesPerJob.max
              ? tn('gen.submitCount', count)
              : t('gen.submit')}
        </button>
      </footer>
    </form>
  );
}
