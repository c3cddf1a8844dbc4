import type { KeyboardEvent, Ref } from 'react';
import { LIMITS } from '../../../shared/constants';
import { useI18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';
import { splitPrompts } from './batch';

const isMac = /Mac|iPhone|iPad/.test(navigator.userAgent);

export function PromptField({
  value,
  onChange,
  error,
  inputRef,
  multiPrompt,
  onMultiPrompt,
  onKeyDown,
  onOpenHistory,
  recalled,
}: {
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  inputRef: Ref<HTMLTextAreaElement>;
  /** Each line is its own prompt (a batch). */
  multiPrompt: boolean;
  onMultiPrompt: (on: boolean) => void;
  /** ↑/↓ walk the prompt history (the panel decides when). */
  onKeyDown: (e: KeyboardEvent<HTMLTextAreaElement>) => void;
  onOpenHistory: () => void;
  /** What the box shows came from the history: 'params' (with its parameters) or 'text' (the prompt only). */
  recalled: 'params' | 'text' | null;
}) {
  const i18n = useI18n();
  const { t, tn } = i18n;
  // The shortcut is markup (<kbd>), so it is placed where the translation puts {shortcut}.
  const [before = '', after = ''] = t('gen.promptHint').split('{shortcut}');
  const lines = multiPrompt ? splitPrompts(value) : [];
  const over = multiPrompt
    ? lines.some((l) => l.length > LIMITS.promptMaxLength)
    : value.length > LIMITS.promptMaxLength;
  const describedBy = ['gen-prompt-hint', error ? 'gen-prompt-error' : null, recalled ? 'gen-prompt-recalled' : null]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <div className="prompt__head">
        <label className="field__label" htmlFor="gen-prompt">
          {t('gen.prompt')}
        </label>
        <button
          type="button"
          className="btn btn--small btn--ghost prompt__history"
          onClick={onOpenHistory}
          aria-label={t('gen.historyLabel')}
          title={t('gen.historyLabel')}
          aria-haspopup="dialog"
          data-testid="prompt-history-open"
        >
          <Icon name="history" /> {t('gen.history')}
        </button>
      </div>
      <textarea
        ref={inputRef}
        id="gen-prompt"
        className="input prompt-input"
        rows={5}
        value={value}
        // Shown only in the empty box: exactly when ↑ recalls the prompts submitted before.
        placeholder={t('gen.promptPlaceholderHistory')}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        aria-keyshortcuts={isMac ? 'Meta+Enter' : 'Control+Enter'}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
      />
      {error && (
        <p id="gen-prompt-error" className="field__error">
          {error}
        </p>
      )}
      {recalled && (
        <p
          id="gen-prompt-recalled"
          className="field__hint prompt__recalled"
          role="status"
          data-testid="prompt-recalled"
        >
          {recalled === 'params' ? t('gen.recalled') : t('gen.recalledText')}
        </p>
      )}
      <p id="gen-prompt-hint" className="field__hint field__hint--split">
        <span>
          {before}
          <kbd>{isMac ? '⌘' : 'Ctrl'}</kbd>+<kbd>Enter</kbd>
          {after}
        </span>
        <span className={over ? 'field__count field__count--over' : 'field__count'} data-testid="prompt-count">
          {multiPrompt
            ? tn('gen.promptLines', lines.length)
            : t('gen.promptCount', {
                n: i18n.formatNumber(value.length),
                max: i18n.formatNumber(LIMITS.promptMaxLength),
              })}
        </span>
      </p>
      <label className="check prompt__multi" title={t('gen.multiPromptHint')}>
        <input
          type="checkbox"
          id="gen-multi"
          checked={multiPrompt}
          aria-describedby="gen-multi-hint"
          onChange={(e) => onMultiPrompt(e.target.checked)}
        />
        <span>{t('gen.multiPrompt')}</span>
        <span id="gen-multi-hint" className="visually-hidden">
          {t('gen.multiPromptHint')}
        </span>
      </label>
    </div>
  );
}
