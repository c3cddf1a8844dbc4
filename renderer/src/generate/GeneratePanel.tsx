import { lazy, Suspense, useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { LIMITS } from '../../../shared/constants';
import type { ErrorInfo } from '../../../shared/errors';
import type { JobState } from '../../../shared/events';
import type { NotificationSettings, Preset, PromptRecord } from '../../../shared/queue';
import { api } from '../bridge';
import { askOnFirstJob } from '../notify/notifications';
import { useToasts } from '../ui/toast-context';
import { errorText, toInfo } from '../i18n/errors';
import { useI18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';
import { IconButton } from '../ui/IconButton';
import { NumberField } from '../ui/NumberField';
import { AspectPicker } from './AspectPicker';
import { batchPlan } from './batch';
import {
  INITIAL_FORM,
  effectiveProvider,
  formFromParams,
  guidanceApplies,
  pinnedProvider,
  sendSize,
  sizeRules,
  type FieldName,
  type FormState,
} from './form';
import { ModelFields } from './ModelFields';
import { formFromPreset, sameName } from './presets';
import { PromptField } from './PromptField';
import { arrowWalks, walkStep, type PromptWalk } from './prompt-walk';
import { SeedField } from './SeedField';
import { SizeFields } from './SizeFields';
import { SpaceControls } from './SpaceControls';
import { StylePicker } from './StylePicker';
import type { Models } from './useModels';
import { usePresets } from './usePresets';
import { loadValidate, useValidate } from './useValidate';
import './generate.css';

// Dialogs are their own chunks: the first screen does not wait for them.
const PromptHistoryDialog = lazy(() =>
  import('./PromptHistoryDialog').then((m) => ({ default: m.PromptHistoryDialog })),
);
const PresetsDialog = lazy(() => import('./PresetsDialog').then((m) => ({ default: m.PresetsDialog })));

/** The queue as the panel shows it: paused or not, and the way to change that. */
export interface PanelQueue {
  paused: boolean;
  onPause: () => void;
  onResume: () => void;
}

type PanelDialog = { kind: 'history' } | { kind: 'presets'; tab: 'presets' | 'styles' };

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
  queue,
  notifications,
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
  queue: PanelQueue;
  /** Settings → Notifications (the first job asks the browser's permission when some are on). */
  notifications?: NotificationSettings | undefined;
}) {
  const i18n = useI18n();
  const { t, tn } = i18n;
  const toasts = useToasts();
  const { presets, setPresets } = usePresets();
  const [dialog, setDialog] = useState<PanelDialog | null>(null);
  // ↑/↓ through the prompts submitted before (prompt-walk.ts), and what the box shows came from there.
  const [walk, setWalk] = useState<PromptWalk<FormState> | null>(null);
  const [recalled, setRecalled] = useState<'params' | 'text' | null>(null);
  /** Where the caret goes once a recalled prompt is in the box; or that the prompt takes focus. */
  const pendingCaret = useRef<'start' | 'end' | 'focus' | null>(null);
  const [touched, setTouched] = useState<ReadonlySet<FieldName>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [sendError, setSendError] = useState<ErrorInfo | null>(null);
  const promptRef = useRef<HTMLTextAreaElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (focusSignal > 0) promptRef.current?.focus();
  }, [focusSignal]);
  // After the recalled text has rendered, and after a closing dialog gave focus back to its opener
  // (a passive effect: React runs the dialog's unmount first).
  useEffect(() => {
    const where = pendingCaret.current;
    const el = promptRef.current;
    if (!where || !el) return;
    pendingCaret.current = null;
    el.focus();
    const at = where === 'start' ? 0 : el.value.length;
    el.setSelectionRange(at, at);
  });

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
  // A style deleted since (in Settings of another window, or by an import): said at once.
  const styleMissing =
    form.style !== '' && presets !== null && !presets.styles.some((x) => sameName(x.name, form.style));
  if (styleMissing) errors.style = t('gen.styleMissingError', { name: form.style });
  const plan = batchPlan(form.prompt, form.count, form.multiPrompt);

  // Exactly what the provider computes from the same rules: the size on the wire.
  const outcome = sendSize(form, rules);
  const sent = outcome?.ok ? { width: outcome.width, height: outcome.height } : null;
  const usesGuidance = guidanceApplies(form, models);
  // With a preset, the fields show what the preset sends on this provider.
  const shownWidth = form.customSize ? form.width : String(sent?.width ?? '');
  const shownHeight = form.customSize ? form.height : String(sent?.height ?? '');
  // Images the button promises: every prompt (one while the box is empty) times the images of each.
  const total = Math.max(1, plan.prompts.length) * Number(form.count);

  const update = (patch: Partial<FormState>, fields: FieldName[] = []) => {
    if (fields.length) setTouched((s) => new Set([...s, ...fields]));
    setSendError(null);
    onChange({ ...form, ...patch });
  };

  /** The box shows a prompt from the history: with its parameters, or the text alone. */
  const recall = (record: PromptRecord, promptOnly: boolean, caret: 'start' | 'end' | 'focus') => {
    const next = promptOnly
      ? { ...form, prompt: record.prompt }
      : formFromParams(form, { ...record.params, prompt: record.prompt }, models);
    setSendError(null);
    onChange({ ...next, count: form.count, multiPrompt: form.multiPrompt && !record.prompt.includes('\n') });
    setRecalled(promptOnly ? 'text' : 'params');
    pendingCaret.current = caret;
  };

  const onPromptKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    const el = e.currentTarget;
    if (e.key === 'Escape' && walk) {
      // Back to what the panel held before the walk.
      e.preventDefault();
      e.stopPropagation();
      onChange(walk.draft);
      setWalk(null);
      setRecalled(null);
      pendingCaret.current = 'end';
      return;
    }
    const dir = arrowWalks(
      e.key,
      { shift: e.shiftKey, ctrl: e.ctrlKey, meta: e.metaKey },
      el.value,
      { start: el.selectionStart, end: el.selectionEnd },
      walk,
    );
    if (!dir) return;
    e.preventDefault();
    const promptOnly = e.altKey;
    const go = (items: PromptRecord[]) => {
      const step = walkStep(walk, dir, { items, draft: form });
      setWalk(step.walk);
      if (step.target.kind === 'record') recall(step.target.record, promptOnly, dir === 'older' ? 'start' : 'end');
      else if (step.target.kind === 'draft' && walk) {
        onChange(walk.draft);
        setRecalled(null);
        pendingCaret.current = 'end';
      }
    };
    if (walk) go([]);
    else
      api.invoke('prompts:list', { limit: 100 }).then(
        (r) => go(r.items),
        (err: unknown) => setSendError(toInfo(err)),
      );
  };

  const applyPreset = (preset: Preset) => {
    setTouched(new Set());
    setSubmitted(false);
    setSendError(null);
    onChange(formFromPreset(form, preset, models));
    toasts.show({ message: t('pre.applied', { name: preset.name }), tone: 'success' });
  };

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy) return;
    // A user's action: the browser may ask for notifications now, once.
    askOnFirstJob(api.transport, notifications);
    setSubmitted(true);
    if (styleMissing) {
      document.getElementById('gen-style')?.focus();
      return;
    }
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
      setWalk(null);
      setRecalled(null);
    } catch (err) {
      setSendError(toInfo(err));
    } finally {
      setBusy(false);
    }
  };

  const stepsHint = provider ? t('gen.stepsDefault', { n: provider.defaults.steps }) : t('gen.stepsDefaultUnknown');
  // Left empty, guidance is the provider's own default (FLUX.1 Dev 3.5, an SD Space's 7).
  const guidanceDefault = provider?.defaults.guidance;
  // Not used by this provider (the field is disabled and the note under it says why): no default to name.
  const guidanceHint = !usesGuidance
    ? ''
    : guidanceDefault !== undefined
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
          <span className="gen__header-tools">
            <button
              type="button"
              className="btn btn--small btn--ghost"
              aria-haspopup="dialog"
              title={t('gen.presetsLabel')}
              onClick={() => setDialog({ kind: 'presets', tab: 'presets' })}
              data-testid="presets-open"
            >
              <Icon name="bookmark" /> {t('gen.presets')}
            </button>
            <IconButton
              icon="reuse"
              label={t('gen.reset')}
              onClick={() => {
                setTouched(new Set());
                setSubmitted(false);
                onChange({ ...INITIAL_FORM, prompt: form.prompt, multiPrompt: form.multiPrompt });
              }}
            />
          </span>
        </header>

        <PromptField
          inputRef={promptRef}
          value={form.prompt}
          error={errors.prompt}
          onChange={(prompt) => {
            // Typing ends a walk through the history: the arrows move the caret again.
            setWalk(null);
            setRecalled(null);
            update({ prompt }, ['prompt']);
          }}
          multiPrompt={form.multiPrompt}
          onMultiPrompt={(multiPrompt) => update({ multiPrompt }, ['prompt'])}
          onKeyDown={onPromptKey}
          onOpenHistory={() => setDialog({ kind: 'history' })}
          recalled={recalled}
        />

        <StylePicker
          value={form.style}
          styles={presets?.styles ?? null}
          prompt={plan.prompts[0] ?? ''}
          error={errors.style}
          onChange={(style) => update({ style }, ['style'])}
          onEdit={() => setDialog({ kind: 'presets', tab: 'styles' })}
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
        {submitted && ((result && !result.ok) || styleMissing) && (
          <p className="notice notice--error" role="alert">
            {t('gen.fixErrors')}
          </p>
        )}
        {queue.paused && (
          <p
            className="notice notice--warning gen__paused"
            role="status"
            title={t('queue.pausedNotice')}
            data-testid="panel-paused"
          >
            <Icon name="pause" />
            <span>{t('queue.pausedShort')}</span>
            <span className="visually-hidden">{t('queue.pausedNotice')}</span>
            <button
              type="button"
              className="btn btn--small"
              aria-label={t('queue.resume')}
              onClick={queue.onResume}
              data-testid="panel-resume"
            >
              <Icon name="play" /> {t('queue.resumeShort')}
            </button>
          </p>
        )}
        {plan.prompts.length > 1 && plan.count !== null && plan.total !== null && (
          <p className="gen__total" data-testid="batch-total">
            {t('gen.batchTotal', {
              prompts: tn('gen.promptLines', plan.prompts.length),
              images: tn('gallery.count', plan.count),
              total: tn('gallery.count', plan.total),
            })}
          </p>
        )}
        <div className="gen__submit">
          <button
            type="submit"
            className="btn btn--primary btn--block"
            disabled={busy}
            aria-keyshortcuts="Control+Enter Meta+Enter"
          >
            <Icon name="sparkles" />
            {busy
              ? t('gen.submitting')
              : plan.count !== null && total > 1 && plan.problems.length === 0
                ? tn('gen.submitCount', total)
                : t('gen.submit')}
          </button>
          <IconButton
            icon={queue.paused ? 'play' : 'pause'}
            label={queue.paused ? t('queue.resume') : t('queue.pause')}
            aria-pressed={queue.paused}
            className="gen__pause"
            onClick={queue.paused ? queue.onResume : queue.onPause}
            data-testid="panel-queue-toggle"
          />
        </div>
      </footer>
      <Suspense fallback={null}>
        {dialog?.kind === 'history' && (
          <PromptHistoryDialog
            onClose={() => setDialog(null)}
            onUse={(record, promptOnly) => {
              setDialog(null);
              setWalk(null);
              recall(record, promptOnly, 'end');
            }}
          />
        )}
        {dialog?.kind === 'presets' && (
          <PresetsDialog
            tab={dialog.tab}
            state={presets}
            onState={setPresets}
            form={form}
            models={models}
            onApply={(preset) => {
              setDialog(null);
              applyPreset(preset);
            }}
            onUseStyle={(style) => {
              setDialog(null);
              update({ style }, ['style']);
            }}
            onClose={() => setDialog(null)}
          />
        )}
      </Suspense>
    </form>
  );
}
