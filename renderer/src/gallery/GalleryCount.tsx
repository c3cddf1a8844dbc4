import { useSyncExternalStore } from 'react';
import { useI18n } from '../i18n/i18n';
import type { HistoryPager } from './history-pager';

/** "1 234 images" / "12 matches": its own subscriber, so page loads re-render only this text. */
export function GalleryCount({ pager, filtered }: { pager: HistoryPager; filtered: boolean }) {
  const { tn } = useI18n();
  const total = useSyncExternalStore(pager.subscribe, () => pager.getSnapshot().total);
  if (total === null) return null;
  return <>{filtered ? tn('gallery.matches', total) : tn('gallery.count', total)}</>;
}
