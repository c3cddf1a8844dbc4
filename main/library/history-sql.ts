/**
 * The history index's SQL: its schema, and a history filter turned into a WHERE clause and an
 * ORDER BY over it (the same meaning as the filters had over the in-memory index: every word of
 * the search must be a substring of the prompt, case ignored; a bare date is that local day).
 */
import type { HistoryFilter, HistorySort } from '../../shared/library';
import { boundOf, type QueryFilter } from './history-query';

/** `PRAGMA user_version` of the index this version writes; a higher one is a newer Flux Gallery's. */
export const INDEX_VERSION = 1;

/**
 * One row per entry. The filter and order columns are copies of the entry's fields (kept in step by
 * the store, which writes every row); `entry` is the whole entry as JSON (what queries return).
 * `prompt_search` indexes `prompt_lower` by trigrams, so a substring search is an index lookup, not a
 * scan of a million prompts; it reads the text from `entries` (external content: stored once).
 */
export const SCHEMA = `
CREATE TABLE entries (
  n INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  time REAL NOT NULL,
  model TEXT NOT NULL,
  provider TEXT NOT NULL,
  favourite INTEGER NOT NULL,
  rating INTEGER NOT NULL,
  hash TEXT,
  prompt_lower TEXT NOT NULL,
  prompt_key TEXT NOT NULL,
  entry TEXT NOT NULL
);
CREATE INDEX entries_newest ON entries (time DESC, id DESC);
CREATE INDEX entries_rating ON entries (rating DESC, time DESC, id DESC);
CREATE INDEX entries_prompt ON entries (prompt_key, time DESC, id DESC);
CREATE INDEX entries_hash ON entries (hash) WHERE hash IS NOT NULL;
CREATE TABLE board_entries (board TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (board, n)) WITHOUT ROWID;
CREATE INDEX board_entries_n ON board_entries (n);
CREATE VIRTUAL TABLE prompt_search USING fts5(
  prompt_lower, content='entries', content_rowid='n', tokenize='trigram case_sensitive 1'
);
CREATE TRIGGER entries_added AFTER INSERT ON entries BEGIN
  INSERT INTO prompt_search (rowid, prompt_lower) VALUES (new.n, new.prompt_lower);
END;
CREATE TRIGGER entries_removed AFTER DELETE ON entries BEGIN
  INSERT INTO prompt_search (prompt_search, rowid, prompt_lower) VALUES ('delete', old.n, old.prompt_lower);
  DELETE FROM board_entries WHERE n = old.n;
END;
CREATE TRIGGER entries_prompt_changed AFTER UPDATE OF prompt_lower ON entries BEGIN
  INSERT INTO prompt_search (prompt_search, rowid, prompt_lower) VALUES ('delete', old.n, old.prompt_lower);
  INSERT INTO prompt_search (rowid, prompt_lower) VALUES (new.n, new.prompt_lower);
END;
PRAGMA user_version = ${INDEX_VERSION};
`;

const ORDER: Record<HistorySort, string> = {
  newest: 'time DESC, id DESC',
  oldest: 'time ASC, id ASC',
  rating: 'rating DESC, time DESC, id DESC',
  prompt: 'prompt_key ASC, time DESC, id DESC',
};

export function orderBy(sort: HistorySort | undefined): string {
  return ORDER[sort ?? 'newest'];
}

/** The trigram index finds substrings of three characters or more; shorter words are checked row by row. */
const TRIGRAM = 3;

/** An FTS5 string: the word as a literal (a quoted phrase; `"` doubled). */
const ftsString = (w: string) => `"${w.replaceAll('"', '""')}"`;

export interface CompiledFilter {
  where: string;
  params: (string | number)[];
}

/**
 * `liveBoards`: the boards that exist. An entry may still carry the id of a board deleted by a
 * process that was cut short; such an id counts for nothing (an entry with only such ids is on no board).
 */
export function compileFilter(q: QueryFilter | HistoryFilter, liveBoards?: ReadonlySet<string>): CompiledFilter {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  if (q.model !== undefined) {
    parts.push('model = ?');
    params.push(q.model);
  }
  if (q.providerId !== undefined) {
    parts.push('provider = ?');
    params.push(q.providerId);
  }
  if (q.favourite !== undefined) {
    parts.push('favourite = ?');
    params.push(q.favourite ? 1 : 0);
  }
  if ((q.minRating ?? 0) > 0) {
    parts.push('rating >= ?');
    params.push(q.minRating ?? 0);
  }
  if (q.from !== undefined) {
    parts.push('time >= ?');
    params.push(boundOf(q.from, false));
  }
  if (q.to !== undefined) {
    parts.push('time <= ?');
    params.push(boundOf(q.to, true));
  }
  if (q.board === 'none') {
    if (liveBoards === undefined) parts.push('NOT EXISTS (SELECT 1 FROM board_entries b WHERE b.n = entries.n)');
    else {
      parts.push(
        'NOT EXISTS (SELECT 1 FROM board_entries b WHERE b.n = entries.n AND b.board IN (SELECT value FROM json_each(?)))',
      );
      params.push(JSON.stringify([...liveBoards]));
    }
  } else if (q.board !== undefined) {
    parts.push('n IN (SELECT n FROM board_entries WHERE board = ?)');
    params.push(q.board);
  }
  const words = (q.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const indexed = words.filter((w) => [...w].length >= TRIGRAM);
  if (indexed.length > 0) {
    parts.push('n IN (SELECT rowid FROM prompt_search WHERE prompt_search MATCH ?)');
    params.push(indexed.map(ftsString).join(' AND '));
  }
  for (const w of words) {
    if ([...w].length >= TRIGRAM) continue;
    parts.push('instr(prompt_lower, ?) > 0');
    params.push(w);
  }
  return { where: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}
