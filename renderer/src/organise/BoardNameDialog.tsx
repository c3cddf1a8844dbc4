import { useId, useRef, useState } from 'react';
import { BOARD_NAME_MAX, BoardNameSchema, type BoardInfo } from '../../../shared/organise';
import { api } from '../bridge';
import { errorText, toInfo } from '../i18n/errors';
import { useI18n } from '../i18n/i18n';
import { Modal } from '../ui/Modal';

/**
 * Names a new board (optionally auto-adding new images to it) or renames one. Resolves with the
 * board the main side answered; a taken name is said in the field.
 */
export function BoardNameDialog({
  board,
  onDone,
  onClose,
}: {
  /** Renaming this board; none: a new one. */
  board?: BoardInfo;
  onDone: (board: BoardInfo) => void;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [name, setName] = useState(board?.name ?? '');
  const [autoAdd, setAutoAdd] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const errorId = useId();
  const titleId = useId();

  const submit = () => {
    const parsed = BoardNameSchema.safeParse(name);
    if (!parsed.success) {
      setError(t(name.trim() ? 'org.boards.nameInvalid' : 'org.boards.nameEmpty', { max: BOARD_NAME_MAX }));
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    const done = board
      ? api.invoke('boards:rename', { id: board.id, name: parsed.data })
      : api.invoke('boards:create', { name: parsed.data, autoAdd });
    done.then(
      (b) => {
        onDone(b);
        onClose();
      },
      (err: unknown) => {
        setBusy(false);
        setError(errorText(i18n, toInfo(err)));
        inputRef.current?.focus();
      },
    );
  };

  return (
    <Modal labelledBy={titleId} onClose={onClose} className="board-dialog" initialFocus={inputRef}>
      <form
        className="board-dialog__form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <h2 id={titleId} className="panel-title">
          {board ? t('org.boards.renameTitle', { name: board.name }) : t('org.boards.newTitle')}
        </h2>
        <label className="field">
          <span className="field__label">{t('org.boards.name')}</span>
          <input
            ref={inputRef}
            className="input"
            value={name}
            maxLength={BOARD_NAME_MAX}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            data-testid="board-name"
            onChange={(e) => {
              setName(e.target.value);
              setError(null);
            }}
          />
          {error && (
            <span id={errorId} className="field__error" role="alert">
              {error}
            </span>
          )}
        </label>
        {!board && (
          <label className="board-dialog__check">
            <input type="checkbox" checked={autoAdd} onChange={(e) => setAutoAdd(e.target.checked)} />
            {t('org.boards.autoAdd')}
          </label>
        )}
        <div className="board-dialog__actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('org.cancel')}
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {board ? t('org.boards.renameAction') : t('org.boards.create')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
