import type { Ref } from 'react';
import { LIMITS } from '../../../shared/constants';
import { useI18n } from '../i18n/i18n';

const isMac = /Mac|iPhone|iPad/.test(navigator.userAgent);

export function PromptField({
  value,
  onChange,
  error,
  inputRef,
}: {
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  inputRef: Ref<HTMLTextAreaElement>;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  // The shortcut is markup (<kbd>), so it is placed where the translation puts {shortcut}.
  const [before = '', after = ''] = t('gen.promptHint').split('{shortcut}');
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor="gen-prompt">
        {t('gen.prompt')}
      </label>
      <textarea
        ref={inputRef}
        id="gen-prompt"
        className="input prompt-input"
        rows={5}
        value={value}
        placeholder={t('gen.promptPlaceholder')}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'gen-prompt-error gen-prompt-hint' : 'gen-prompt-hint'}
        aria-keyshortcuts={isMac ? 'Meta+Enter' : 'Control+Enter'}
        onChange={(e) => onChange(e.target.value)}
      />
      {error && (
        <p id="gen-prompt-error" className="field__error">
          {error}
        </p>
      )}
      <p id="gen-prompt-hint" className="field__hint field__hint--split">
        <span>
          {before}
          <kbd>{isMac ? '⌘' : 'Ctrl'}</kbd>+<kbd>Enter</kbd>
          {after}
        </span>
        <span className={value.length > LIMITS.promptMaxLength ? 'field__count field__count--over' : 'field__count'}>
          {t('gen.promptCount', {
            n: i18n.formatNumber(value.length),
            max: i18n.formatNumber(LIMITS.promptMaxLength),
          })}
        </span>
      </p>
    </div>
  );
}
