import { useI18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';

export function GalleryEmpty({ filtered }: { filtered: boolean }) {
  const { t } = useI18n();
  return (
    <div className="gallery__empty" data-testid="gallery-empty">
      <Icon name={filtered ? 'search' : 'image'} className="gallery__empty-icon" />
      <p className="gallery__empty-title">{filtered ? t('gallery.noMatches') : t('gallery.empty')}</p>
      {!filtered && <p className="gallery__empty-hint">{t('gallery.emptyHint')}</p>}
    </div>
  );
}
