/**
 * Issue 16, the renderer's plain logic without a browser: walking the prompt history with ↑/↓, a
 * preset from the panel and back, the style editor's rules, splitting a batch, the quota countdown,
 * the job strip's order, the words of the new statuses and notifications, the settings patch.
 */
import { describe, expect, it } from 'vitest';
import { StartJobsSchema } from '../../shared/contract';
import type { JobState } from '../../shared/events';
import { GenerationParamsSchema } from '../../shared/params';
import { listModels, listProviders } from '../../main/providers/registry';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  PresetSchema,
  StyleSchema,
  type PostedNotification,
  type PromptRecord,
} from '../../shared/queue';
import type { PublicSettings } from '../../shared/settings';
import { batchPlan, MAX_BATCH_PROMPTS, splitPrompts } from '../../renderer/src/generate/batch';
import { INITIAL_FORM, toRequest, type FormState } from '../../renderer/src/generate/form';
import {
  formFromPreset,
  formMatchesPreset,
  presetFromForm,
  presetNameProblem,
  styledPrompt,
  styleFromDraft,
  styleProblems,
} from '../../renderer/src/generate/presets';
import { arrowWalks, walkOrder, walkStep, type PromptWalk } from '../../renderer/src/generate/prompt-walk';
import { validate } from '../../renderer/src/generate/validate';
import { createI18n } from '../../renderer/src/i18n/i18n';
import { jobStatusText } from '../../renderer/src/i18n/status';
import { formatCountdown } from '../../renderer/src/jobs/countdown';
import { orderJobs } from '../../renderer/src/jobs/order';
import { notificationWords, shouldNotify } from '../../renderer/src/notify/notifications';
import { concurrencyPatch, draftFrom, notificationsPatch, patchFrom } from '../../renderer/src/settings/settings-form';
import { sizeRules } from '../../renderer/src/generate/form';

const models = { models: listModels(), providers: listProviders() };
const en = createI18n('en');
const ru = createI18n('ru');

const record = (prompt: string, at: number, params: Partial<FormState> = {}, pinned = false): PromptRecord => ({
  id: `rec-${at}-xx`,
  prompt,
  params: GenerationParamsSchema.parse({ prompt, model: 'flux-schnell', ...params }),
  at,
  uses: 1,
  pinned,
});

describe('prompt history walk (↑/↓ in the prompt box)', () => {
  const none = { shift: false, ctrl: false, meta: false };
  const items = [record('older', 100), record('pinned but old', 50, {}, true), record('newest', 300)];

  it('walks newest first (by when submitted, pinned ones not first), and back to the draft', () => {
    expect(walkOrder(items).map((r) => r.prompt)).toEqual(['newest', 'older', 'pinned but old']);
    const draft = { prompt: '', marker: 'draft' };
    let walk: PromptWalk<typeof draft> | null = null;
    const seen: string[] = [];
    const step = (dir: 'older' | 'newer') => {
      const r = walkStep(walk, dir, { items, draft });
      walk = r.walk;
      seen.push(r.target.kind === 'record' ? r.target.record.prompt : r.target.kind);
    };
    step('older');
    step('older');
    step('older');
    // Past the oldest: stays there, nothing to show.
    step('older');
    expect(walk!.index).toBe(2);
    step('newer');
    step('newer');
    // Past the newest: the draft again, the walk over.
    step('newer');
    expect(seen).toEqual(['newest', 'older', 'pinned but old', 'none', 'older', 'newest', 'draft']);
    expect(walk).toBeNull();
    // ↓ without a walk does nothing; an empty history neither.
    expect(walkStep(null, 'newer', { items, draft }).target.kind).toBe('none');
    expect(walkStep(null, 'older', { items: [], draft })).toEqual({ walk: null, target: { kind: 'none' } });
  });

  it('the arrows walk only in the empty box, or on an untouched recalled prompt with the caret at its edge', () => {
    const walk = { shown: 'a red fox' };
    // Empty box: ↑ starts; ↓ only continues a walk.
    expect(arrowWalks('ArrowUp', none, '', { start: 0, end: 0 }, null)).toBe('older');
    expect(arrowWalks('ArrowDown', none, '', { start: 0, end: 0 }, null)).toBeNull();
    // Typed text: the caret moves, as always.
    expect(arrowWalks('ArrowUp', none, 'my words', { start: 0, end: 0 }, null)).toBeNull();
    // Recalled and untouched: ↑ at the very start, ↓ at the very end.
    expect(arrowWalks('ArrowUp', none, 'a red fox', { start: 0, end: 0 }, walk)).toBe('older');
    expect(arrowWalks('ArrowUp', none, 'a red fox', { start: 3, end: 3 }, walk)).toBeNull();
    expect(arrowWalks('ArrowDown', none, 'a red fox', { start: 9, end: 9 }, walk)).toBe('newer');
    expect(arrowWalks('ArrowDown', none, 'a red fox', { start: 0, end: 0 }, walk)).toBeNull();
    // A selection, an edit, Shift/Ctrl/Meta: not a walk.
    expect(arrowWalks('ArrowUp', none, 'a red fox', { start: 0, end: 3 }, walk)).toBeNull();
    expect(arrowWalks('ArrowUp', none, 'a red fox!', { start: 0, end: 0 }, walk)).toBeNull();
    expect(arrowWalks('ArrowUp', { ...none, shift: true }, '', { start: 0, end: 0 }, null)).toBeNull();
    expect(arrowWalks('ArrowUp', { ...none, ctrl: true }, '', { start: 0, end: 0 }, null)).toBeNull();
    expect(arrowWalks('ArrowLeft', none, '', { start: 0, end: 0 }, null)).toBeNull();
  });
});

describe('presets: from the panel and back', () => {
  const form: FormState = {
    ...INITIAL_FORM,
    prompt: 'not kept',
    model: 'flux-dev',
    provider: 'bfl-flux1-dev',
    aspectRatio: '16:9',
    steps: '20',
    guidance: '4.5',
    seed: '4242',
    seedLocked: true,
    count: '3',
    negativePrompt: 'blurry',
    style: 'Cinematic',
  };

  it('keeps every parameter but the prompt, valid for the contract, and applies back to the same panel', () => {
    const preset = presetFromForm('  Wide dev ', form);
    expect(preset).toEqual({
      name: 'Wide dev',
      model: 'flux-dev',
      provider: 'bfl-flux1-dev',
      aspectRatio: '16:9',
      steps: 20,
      guidance: 4.5,
      randomizeSeed: false,
      seed: 4242,
      negativePrompt: 'blurry',
      style: 'Cinematic',
    });
    expect(PresetSchema.parse(preset)).toEqual(preset);
    // Applied to a reset panel: the same parameters, that panel's prompt, count and batch mode.
    const other = { ...INITIAL_FORM, prompt: 'mine', count: '2', multiPrompt: true };
    const applied = formFromPreset(other, preset, models);
    expect(applied).toEqual({ ...form, prompt: 'mine', count: '2', multiPrompt: true });
    expect(formMatchesPreset(applied, preset, models)).toBe(true);
    expect(formMatchesPreset({ ...applied, steps: '21' }, preset, models)).toBe(false);
  });

  it('leaves out what the provider decides and what is half-typed; a typed size only when used', () => {
    const loose = presetFromForm('Loose', {
      ...INITIAL_FORM,
      steps: '',
      guidance: '4,5x',
      seed: '12',
      seedLocked: false,
      customSize: false,
      width: '999',
      height: '777',
    });
    expect(loose).toEqual({ name: 'Loose', model: 'flux', aspectRatio: '1:1', randomizeSeed: true });
    const sized = presetFromForm('Sized', { ...INITIAL_FORM, customSize: true, width: '832', height: '1216' });
    expect(sized).toMatchObject({ width: 832, height: 1216 });
    expect(PresetSchema.safeParse(sized).success).toBe(true);
    // Applied: a preset is the whole set, so what it leaves out goes back to the default.
    const applied = formFromPreset({ ...form }, loose, models);
    expect(applied).toMatchObject({ provider: '', steps: '', guidance: '', negativePrompt: '', style: '' });
    expect(applied.seedLocked).toBe(false);
    const withSize = formFromPreset(INITIAL_FORM, { ...sized, model: 'flux-dev', provider: 'bfl-flux1-dev' }, models);
    expect(withSize).toMatchObject({ customSize: true, width: '832', height: '1216' });
  });

  it('names: empty, too long and control characters refused', () => {
    expect(presetNameProblem('  ')).toBe('name-empty');
    expect(presetNameProblem('x'.repeat(81))).toBe('name-long');
    expect(presetNameProblem('tab\there')).toBe('name-control');
    expect(presetNameProblem(' fine ')).toBeNull();
  });
});

describe('styles: the editor’s rules', () => {
  it('refuses a template without {prompt}, a taken or empty name, and agrees with the contract', () => {
    const ok = { name: 'Cinematic', template: 'cinematic photo of {prompt}, 35mm', negativePrompt: ' blurry ' };
    expect(styleProblems(ok, [])).toEqual({});
    expect(StyleSchema.safeParse(styleFromDraft(ok)).success).toBe(true);
    expect(styleFromDraft(ok)).toEqual({ ...ok, negativePrompt: 'blurry' });
    expect(styleFromDraft({ ...ok, negativePrompt: '  ' })).toEqual({ name: 'Cinematic', template: ok.template });
    const noPrompt = { ...ok, template: 'cinematic photo, 35mm' };
    expect(styleProblems(noPrompt, [])).toEqual({ template: 'template-no-prompt' });
    expect(StyleSchema.safeParse(styleFromDraft(noPrompt)).success).toBe(false);
    expect(styleProblems({ ...ok, name: ' ' }, []).name).toBe('name-empty');
    // Names compare as the main side stores them: trimmed, any case.
    expect(styleProblems(ok, ['CINEMATIC ']).name).toBe('name-taken');
    expect(styleProblems({ ...ok, template: `{prompt}${'x'.repeat(2000)}` }, []).template).toBe('template-long');
    expect(styleProblems({ ...ok, negativePrompt: 'x'.repeat(2001) }, []).negativePrompt).toBe('negative-long');
    // Every problem has words in both languages.
    for (const p of ['name-empty', 'name-long', 'name-control', 'name-taken', 'template-no-prompt'] as const) {
      expect(en.t(`sty.err.${p}`, { max: 80 })).not.toMatch(/sty\.err/);
      expect(ru.t(`sty.err.${p}`, { max: 80 })).not.toBe(en.t(`sty.err.${p}`, { max: 80 }));
    }
  });

  it('styles a prompt as the main side does (every {prompt}, trimmed)', () => {
    expect(styledPrompt('cinematic photo of {prompt}, 35mm', 'a fox')).toBe('cinematic photo of a fox, 35mm');
    expect(styledPrompt(' {prompt} and {prompt} ', 'x')).toBe('x and x');
  });
});

describe('batch: one prompt per line, N images each', () => {
  it('splits lines (trimmed, empty ones skipped, any line end)', () => {
    expect(splitPrompts('a fox\r\n\n  a cat  \rthe moon\n')).toEqual(['a fox', 'a cat', 'the moon']);
    expect(splitPrompts(' \n ')).toEqual([]);
  });

  it('counts the total, and says what is over the contract’s limits', () => {
    expect(batchPlan('a\nb', '2', true)).toEqual({ prompts: ['a', 'b'], count: 2, total: 4, problems: [] });
    // Not in batch mode: the box is one prompt, lines and all.
    expect(batchPlan('a\nb', '2', false)).toMatchObject({ prompts: ['a\nb'], total: 2 });
    expect(batchPlan('a', 'x', true)).toMatchObject({ count: null, total: null });
    const many = Array.from({ length: MAX_BATCH_PROMPTS + 1 }, (_, i) => `p${i}`).join('\n');
    expect(batchPlan(many, '1', true).problems).toEqual([{ kind: 'too-many', prompts: 34, max: 33 }]);
    expect(batchPlan(`ok\n${'x'.repeat(2001)}`, '1', true).problems).toEqual([
      { kind: 'too-long', line: 2, length: 2001, max: 2000 },
    ]);
  });

  it('becomes the request: the first line its prompt, the others extraPrompts; the style by name', () => {
    const form: FormState = {
      ...INITIAL_FORM,
      prompt: 'a fox\n\n a cat ',
      multiPrompt: true,
      count: '2',
      style: 'Noir',
    };
    const request = toRequest(form);
    expect(request.params.prompt).toBe('a fox');
    expect(request.extraPrompts).toEqual(['a cat']);
    expect(request.params.style).toBe('Noir');
    expect(StartJobsSchema.safeParse(request).success).toBe(true);
    // One line: no extra prompts at all.
    expect(toRequest({ ...form, prompt: 'only' }).extraPrompts).toBeUndefined();
    // Off: the text as typed.
    expect(toRequest({ ...form, multiPrompt: false }).params.prompt).toBe('a fox\n\n a cat ');
  });

  it('a batch over the limit is refused in words on the prompt field', () => {
    const rules = sizeRules(undefined);
    const many = Array.from({ length: 34 }, (_, i) => `p${i}`).join('\n');
    const r = validate({ ...INITIAL_FORM, prompt: many, multiPrompt: true }, en, rules);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.prompt).toBe('At most 33 prompts at once (one per line); there are 34.');
    const rr = validate({ ...INITIAL_FORM, prompt: many, multiPrompt: true }, ru, rules);
    expect(!rr.ok && rr.errors.prompt).toBe('Не больше 33 запросов за раз (по одному на строку), а их 34.');
    expect(validate({ ...INITIAL_FORM, prompt: 'a\nb', multiPrompt: true }, en, rules).ok).toBe(true);
  });
});

describe('the quota countdown and the new statuses', () => {
  it('counts down as H:MM:SS, hours only when there are any, never 0:00 before the end', () => {
    expect(formatCountdown(5025_000)).toBe('1:23:45');
    expect(formatCountdown(307_000)).toBe('5:07');
    expect(formatCountdown(9_000)).toBe('0:09');
    expect(formatCountdown(200)).toBe('0:01');
    expect(formatCountdown(0)).toBe('0:00');
    expect(formatCountdown(-5000)).toBe('0:00');
    expect(formatCountdown(36_000_000)).toBe('10:00:00');
  });

  it('words quota waits, resubmitted jobs and interrupted ones in both languages', () => {
    const now = 1_000_000;
    const wait = { code: 'quota-wait' as const, params: { until: now + 5025_000, provider: 'bfl-flux1-dev' } };
    expect(jobStatusText(en, wait, { now })).toBe('Quota: starts again in 1:23:45');
    expect(jobStatusText(ru, wait, { now })).toBe('Квота: снова начнётся через 1:23:45');
    expect(jobStatusText(en, { code: 'quota-wait' }, { now })).toBe('Waiting for the Space’s GPU quota…');
    expect(jobStatusText(en, { code: 'resubmitted' })).toBe(
      'The app stopped while this job ran; it was sent again with the same seed.',
    );
    expect(jobStatusText(ru, { code: 'resubmitted' })).toMatch(/^Приложение остановилось/);
    expect(en.t('err.interrupted')).toMatch(/Retry/);
    expect(ru.t('err.interrupted')).toMatch(/Повторить/);
  });
});

describe('the job strip’s order', () => {
  const job = (id: string, state: JobState['state'], createdAt: number, extra: Partial<JobState> = {}): JobState => ({
    id,
    batchId: 'b',
    params: GenerationParamsSchema.parse({ prompt: id }),
    state,
    providerId: null,
    failedProviders: [],
    queue: null,
    progress: null,
    status: null,
    notes: [],
    previewDataUrl: null,
    error: null,
    entryId: null,
    createdAt,
    startedAt: null,
    endedAt: null,
    ...extra,
  });

  it('running first, then the queue in the order it runs, then finished ones newest first', () => {
    const jobs = [
      job('done-old', 'done', 1, { endedAt: 10 }),
      job('q-a', 'queued', 2),
      job('run', 'running', 3, { startedAt: 5 }),
      job('q-b', 'queued', 4),
      job('done-new', 'failed', 5, { endedAt: 20 }),
      job('q-c', 'queued', 6),
      job('saving', 'saving', 7, { startedAt: 4 }),
    ];
    expect(orderJobs(jobs, ['q-c', 'q-a', 'q-b']).map((j) => j.id)).toEqual([
      'saving',
      'run',
      'q-c',
      'q-a',
      'q-b',
      'done-new',
      'done-old',
    ]);
    // A queued job the order does not know yet goes last among the queued ones.
    expect(
      orderJobs(jobs, ['q-b'])
        .map((j) => j.id)
        .slice(2, 5),
    ).toEqual(['q-b', 'q-a', 'q-c']);
  });
});

describe('notifications in the web preview', () => {
  const posted = (over: Partial<PostedNotification> = {}): PostedNotification => ({
    kind: 'job-done',
    jobId: 'j1',
    entryId: 'e1',
    prompt: 'a red fox',
    count: 1,
    errorCode: null,
    sound: false,
    whenFocused: false,
    ...over,
  });

  it('shows only while the page is hidden or unfocused, unless wanted always', () => {
    expect(shouldNotify(posted(), { hidden: false, focused: true })).toBe(false);
    expect(shouldNotify(posted(), { hidden: true, focused: false })).toBe(true);
    expect(shouldNotify(posted(), { hidden: false, focused: false })).toBe(true);
    expect(shouldNotify(posted({ whenFocused: true }), { hidden: false, focused: true })).toBe(true);
  });

  it('words each kind in both languages', () => {
    expect(notificationWords(en, posted())).toEqual({ title: 'Image ready', body: 'a red fox' });
    expect(notificationWords(ru, posted())).toEqual({ title: 'Изображение готово', body: 'a red fox' });
    expect(notificationWords(en, posted({ kind: 'job-failed', errorCode: 'quota' }))).toEqual({
      title: 'Job failed',
      body: `a red fox\n${en.t('err.quota')}`,
    });
    // A code whose words need the main side's message: the prompt alone.
    expect(notificationWords(en, posted({ kind: 'job-failed', errorCode: 'network' })).body).toBe('a red fox');
    expect(notificationWords(en, posted({ kind: 'queue-done', prompt: null, count: 3 }))).toEqual({
      title: 'All jobs done',
      body: '3 images made.',
    });
    expect(notificationWords(ru, posted({ kind: 'queue-done', prompt: null, count: 5 })).body).toBe(
      'Создано 5 изображений.',
    );
  });
});

describe('Settings → Queue and Notifications: the patch', () => {
  const saved = {
    libraryDir: '/lib',
    hasHfToken: false,
    hfTokenCheck: null,
    hfTokenStorage: null,
    secretProtection: 'keychain',
    tokenOrigins: [],
    providerUrls: {},
    hfUrl: null,
    proxy: null,
    proxyPasswordStorage: null,
    theme: 'dark',
    language: 'en',
    concurrencyPerProvider: 1,
    customSpaces: [],
    inference: { models: [], provider: 'auto', fallbackAliases: [], url: null },
    aliasOrder: {},
    concurrencyByProvider: { 'bfl-flux1-dev': 2 },
    quotaFallback: false,
    notifications: DEFAULT_NOTIFICATION_SETTINGS,
  } satisfies PublicSettings;

  it('sends only what changed: a provider back to the default is null', () => {
    const draft = draftFrom(saved);
    expect(draft.concurrencyBy).toEqual({ 'bfl-flux1-dev': '2' });
    expect(patchFrom(draft, saved)).toEqual({});
    const changed = {
      ...draft,
      concurrencyBy: { 'bfl-flux1-dev': '', 'voodoohop-flux1-schnell': '3' },
      quotaFallback: true,
      notifications: { ...draft.notifications, sound: true },
    };
    expect(patchFrom(changed, saved)).toEqual({
      concurrencyByProvider: { 'bfl-flux1-dev': null, 'voodoohop-flux1-schnell': 3 },
      quotaFallback: true,
      notifications: { sound: true },
    });
    expect(concurrencyPatch({ a: '' }, {})).toBeNull();
    expect(notificationsPatch(DEFAULT_NOTIFICATION_SETTINGS, DEFAULT_NOTIFICATION_SETTINGS)).toBeNull();
  });

  it('a core from before the queue settings reads as their defaults', () => {
    const old = { ...saved } as Partial<PublicSettings>;
    delete old.notifications;
    delete old.concurrencyByProvider;
    delete old.quotaFallback;
    const draft = draftFrom(old as PublicSettings);
    expect(draft.notifications).toEqual(DEFAULT_NOTIFICATION_SETTINGS);
    expect(draft.concurrencyBy).toEqual({});
    expect(patchFrom(draft, old as PublicSettings)).toEqual({});
  });
});
