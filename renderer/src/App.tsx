import { useEffect, useState } from 'react';
import type { HistoryPage } from '../../shared/library';
import { api } from './bridge';

export function App() {
  const [page, setPage] = useState<HistoryPage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.invoke('history:query', {}).then(setPage, (err: Error) => setError(err.message));
  }, []);

  return (
    <main>
      <h1>Flux Gallery</h1>
      {error && <p role="alert">{error}</p>}
      <section aria-label="Gallery" data-testid="gallery">
        {page && page.total === 0 && <p>No images yet.</p>}
        {page?.items.map((e) => (
          <img key={e.id} src={api.mediaUrl('thumb', e.id)} alt={e.prompt} />
        ))}
      </section>
    </main>
  );
}
