import { useEffect, useState } from 'react';
import type { ImportedParams } from '../../../shared/library';
import { MAX_IMAGE_BYTES } from '../../../shared/constants';
import { api } from '../bridge';
import { errorText, toInfo } from '../i18n/errors';
import { useI18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';
import { useToasts } from '../ui/toast-context';
import { DropChoice, type Dropped } from '../import/DropChoice';

const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

/** What a drop carries, read at once: the browser empties the DataTransfer after the event. */
function readDrop(dt: DataTransfer): Dropped | null {
  const files = [...dt.files];
  if (files.length === 0) return null;
  const items = [...dt.items].filter((i) => i.kind === 'file');
  const folder = items.some((i) => i.webkitGetAsEntry?.()?.isDirectory === true);
  const pathOf = api.pathForFile?.bind(api);
  const paths = pathOf ? files.map((f) => pathOf(f)) : null;
  return {
    names: files.map((f) => f.name),
    // The desktop app: every item has its path (a file made in the page has none and is left out).
    paths: paths ? paths.filter((p): p is string => !!p) : null,
    single: files.length === 1 && !folder ? files[0]! : null,
  };
}

/**
 * Drop images or folders anywhere on the window, then choose (issue 18): import them into the
 * library, or just read one image's embedded parameters into the panel. Only file drags are
 * touched: drags of our own thumbnails go out to the OS, not in here.
 */
export function DropImport({
  onImported,
  onImportPaths,
}: {
  onImported: (params: ImportedParams) => void;
  /** Import the dropped paths; null in the web preview, where a page is not told them. */
  onImportPaths: (paths: string[] | null) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const toasts = useToasts();
  const [over, setOver] = useState(false);
  const [dropped, setDropped] = useState<Dropped | null>(null);

  const importFile = async (file: File) => {
    if (!file.type.startsWith('image/')) {
      toasts.show({ message: t('drop.notImage'), tone: 'error' });
      return;
    }
    if (file.size > MAX_IMAGE_BYTES) {
      toasts.show({ message: t('err.too-large'), tone: 'error' });
      return;
    }
    try {
      const dataBase64 = await readBase64(file);
      const imported = await api.invoke('image:import', { fileName: file.name.slice(0, 1024), dataBase64 });
      onImported(imported);
      toasts.show({ message: t('drop.imported', { file: file.name }), tone: 'success' });
    } catch (err) {
      toasts.show({ message: errorText(i18n, toInfo(err)), tone: 'error' });
    }
  };

  useEffect(() => {
    // dragenter/leave fire for every child crossed: count them to know when the drag left the window.
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setOver(true);
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const overHandler = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      // Without this the browser would open the file instead of dropping it here.
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setOver(false);
      const d = e.dataTransfer ? readDrop(e.dataTransfer) : null;
      if (d) setDropped(d);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overHandler);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overHandler);
      window.removeEventListener('drop', drop);
    };
  }, []);

  if (dropped) {
    return (
      <DropChoice
        dropped={dropped}
        onClose={() => setDropped(null)}
        onRead={(file) => {
          setDropped(null);
          void importFile(file);
        }}
        onImport={() => {
          setDropped(null);
          onImportPaths(dropped.paths && dropped.paths.length > 0 ? dropped.paths : null);
        }}
      />
    );
  }
  if (!over) return null;
  return (
    <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
      <div className="drop-overlay__card">
        <Icon name="upload" className="drop-overlay__icon" />
        <p className="drop-overlay__title">{t('drop.title')}</p>
        <p className="drop-overlay__hint">{t('drop.hint')}</p>
      </div>
    </div>
  );
}
