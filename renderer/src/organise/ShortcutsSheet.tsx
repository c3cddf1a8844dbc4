import { Fragment } from 'react';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/types';
import { IconButton } from '../ui/IconButton';
import { Modal } from '../ui/Modal';
import { isMac } from './keys';

type Keys = (string | MessageKey)[][];
interface Row {
  keys: Keys;
  what: MessageKey;
}

/**
 * Every key the window knows, by where it works (`?`). Key names in `org.key.*` are words (Space,
 * Delete…); others are shown as they are printed on the key.
 */
export function ShortcutsSheet({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const mod = isMac() ? '⌘' : 'Ctrl';
  const sections: { title: MessageKey; rows: Row[] }[] = [
    {
      title: 'org.keys.gallery',
      rows: [
        { keys: [['← ↑ → ↓']], what: 'org.keys.move' },
        { keys: [['Home'], ['End']], what: 'org.keys.firstLast' },
        { keys: [['PageUp'], ['PageDown']], what: 'org.keys.page' },
        { keys: [['org.key.enter']], what: 'org.keys.open' },
        { keys: [['F']], what: 'org.keys.favourite' },
        { keys: [['0'], ['1'], ['…'], ['5']], what: 'org.keys.rate' },
        { keys: [['org.key.delete']], what: 'org.keys.delete' },
      ],
    },
    {
      title: 'org.keys.selection',
      rows: [
        { keys: [['org.key.space']], what: 'org.keys.toggle' },
        { keys: [['Shift', '← ↑ → ↓']], what: 'org.keys.extend' },
        { keys: [[mod, 'org.key.click']], what: 'org.keys.ctrlClick' },
        { keys: [['Shift', 'org.key.click']], what: 'org.keys.shiftClick' },
        { keys: [[mod, 'A']], what: 'org.keys.selectAll' },
        { keys: [['Esc']], what: 'org.keys.clear' },
        { keys: [['C']], what: 'org.keys.compare' },
      ],
    },
    {
      title: 'org.keys.viewer',
      rows: [
        { keys: [['←'], ['→']], what: 'org.keys.prevNext' },
        { keys: [['+'], ['−']], what: 'org.keys.zoom' },
        { keys: [['0']], what: 'org.keys.fit' },
        { keys: [['1'], ['…'], ['5']], what: 'org.keys.rateViewer' },
        { keys: [['Shift', '← ↑ → ↓']], what: 'org.keys.pan' },
        { keys: [['F']], what: 'org.keys.favourite' },
        { keys: [['org.key.delete']], what: 'org.keys.delete' },
        { keys: [['Esc']], what: 'org.keys.close' },
      ],
    },
    {
      title: 'org.keys.compareView',
      rows: [
        { keys: [['←'], ['→']], what: 'org.keys.divider' },
        { keys: [['+'], ['−'], ['0']], what: 'org.keys.zoomBoth' },
        { keys: [['S']], what: 'org.keys.mode' },
      ],
    },
    {
      title: 'org.keys.everywhere',
      rows: [
        { keys: [['/'], [mod, 'F']], what: 'org.keys.search' },
        { keys: [[mod, 'org.key.enter']], what: 'org.keys.generate' },
        { keys: [['↑'], ['↓']], what: 'org.keys.promptWalk' },
        { keys: [[mod, ',']], what: 'org.keys.settings' },
        { keys: [['?']], what: 'org.keys.sheet' },
      ],
    },
  ];
  const keyText = (k: string) => (k.startsWith('org.key.') ? t(k as MessageKey) : k);
  return (
    <Modal labelledBy="keys-title" onClose={onClose} className="keys-sheet">
      <header className="keys-sheet__header">
        <h2 id="keys-title" className="panel-title">
          {t('org.keys.title')}
        </h2>
        <IconButton icon="close" label={t('lb.close')} onClick={onClose} />
      </header>
      <div className="keys-sheet__body" data-testid="shortcuts-sheet">
        {sections.map((section) => (
          <section key={section.title} className="keys-sheet__section" aria-labelledby={`keys-${section.title}`}>
            <h3 id={`keys-${section.title}`} className="keys-sheet__title">
              {t(section.title)}
            </h3>
            <dl className="keys-sheet__list">
              {section.rows.map((row) => (
                <div key={row.what} className="keys-sheet__row">
                  <dt>
                    {row.keys.map((combo, i) => (
                      <Fragment key={i}>
                        {i > 0 && <span className="keys-sheet__or"> / </span>}
                        {combo.map((k, j) => (
                          <Fragment key={j}>
                            {j > 0 && <span className="keys-sheet__plus">+</span>}
                            <kbd>{keyText(k)}</kbd>
                          </Fragment>
                        ))}
                      </Fragment>
                    ))}
                  </dt>
                  <dd>{t(row.what)}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Modal>
  );
}
