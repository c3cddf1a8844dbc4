/**
 * The history index's SQL: its schema, and a history filter turned into a WHERE clause and an
 * ORDER BY over it (a bare date is that local day; the search is described at compileFilter).
 */
import type { HistoryFilter, HistorySort } from '../../shared/library';
import { boundOf, type QueryFilter } from './history-query';

/** `PRAGMA user_version` of the index this version writes; a higher one is a newer Flux Gallery's. */
export const INDEX_VERSION = 1;

/**
 * One row per entry. The filter and order columns are copies of the entry's fields (kept in step by
 * the store, which writes every row); `entry` is the whole entry as JSON (what queries return).
 * `prompt_search` indexes the words of `prompt_lower` (and their first one to three letters), so a
 * search is an index lookup, not a scan of a million prompts; it reads the text from `entries`
 * (external content: stored once).
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
CREATE INDEX entries_time ON entries (time);
CREATE INDEX entries_rating ON entries (rating, time);
CREATE INDEX entries_prompt ON entries (prompt_key, time);
CREATE INDEX entries_hash ON entries (hash) WHERE hash IS NOT NULL;
CREATE TABLE board_entries (board TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (board, n)) WITHOUT ROWID;
CREATE INDEX board_entries_n ON board_entries (n);
CREATE VIRTUAL TABLE prompt_search USING fts5(
  prompt_lower, content='entries', content_rowid='n', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
);
-- The number of entries, kept by the triggers: count(*) reads a whole index (0.2 s at a million).
CREATE TABLE totals (what TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO totals VALUES ('entries', 0);
CREATE TRIGGER entries_added AFTER INSERT ON entries BEGIN
  INSERT INTO prompt_search (rowid, prompt_lower) VALUES (new.n, new.prompt_lower);
  UPDATE totals SET n = n + 1 WHERE what = 'entries';
END;
CREATE TRIGGER entries_removed AFTER DELETE ON entries BEGIN
  INSERT INTO prompt_search (prompt_search, rowid, prompt_lower) VALUES ('delete', old.n, old.prompt_lower);
  UPDATE totals SET n = n - 1 WHERE what = 'entries';
  DELETE FROM board_entries WHERE n = old.n;
END;
CREATE TRIGGER entries_prompt_changed AFTER UPDATE OF prompt_lower ON entries BEGIN
  INSERT INTO prompt_search (prompt_search, rowid, prompt_lower) VALUES ('delete', old.n, old.prompt_lower);
  INSERT INTO prompt_search (rowid, prompt_lower) VALUES (new.n, new.prompt_lower);
END;
PRAGMA user_version = ${INDEX_VERSION};
`;

/**
 * `n` (the rowid) is made from the entry's time (keyOf), so the newest-first order is the rowid's:
 * the table itself is that index, and the word index, which lists rows by rowid, can give a search's
 * first page newest first without collecting every match (a word in 100 000 prompts costs the same
 * as a rare one). Entries of the same millisecond keep the order they were added in. The other
 * queries walk the slim `time` index (an OFFSET deep in a million skips index entries, not rows).
 */
const ORDER: Record<HistorySort, string> = {
  newest: 'e.time DESC, e.n DESC',
  oldest: 'e.time ASC, e.n ASC',
  rating: 'e.rating DESC, e.time DESC, e.n DESC',
  prompt: 'e.prompt_key ASC, e.time DESC, e.n DESC',
};

/** Room for this many entries per millisecond in the key (more spill into the next millisecond's). */
export const PER_MS = 1024;

/** `reversed`: the same order read from its other end (a page near the end of a million, cheaply). */
export function orderBy(sort: HistorySort | undefined, reversed = false): string {
  const order = ORDER[sort ?? 'newest'];
  if (!reversed) return order;
  return order
    .split(', ')
    .map((term) => (term.endsWith(' DESC') ? term.replace(/ DESC$/, ' ASC') : term.replace(/ ASC$/, ' DESC')))
    .join(', ');
}

/**
 * Scripts written without spaces between words: the word index holds whole runs of them, so a
 * search for part of a run is checked row by row (a substring of the prompt) instead.
 */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

/** An FTS5 prefix query for one typed word: a quoted string (`"` doubled), then `*`. */
const ftsPrefix = (w: string) => `"${w.replaceAll('"', '""')}"*`;

export interface CompiledFilter {
  /** Conditions on `entries e`, joined by AND (empty: none). */
  conds: string[];
  params: (string | number)[];
  /** The word index query (FTS5 MATCH), or null when no typed word uses it. */
  match: string | null;
}

/**
 * `liveBoards`: the boards that exist. An entry may still carry the id of a board deleted by a
 * process that was cut short; such an id counts for nothing (an entry with only such ids is on no board).
 */
export function compileFilter(q: QueryFilter | HistoryFilter, liveBoards?: ReadonlySet<string>): CompiledFilter {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  if (q.model !== undefined) {
    parts.push('e.model = ?');
    params.push(q.model);
  }
  if (q.providerId !== undefined) {
    parts.push('e.provider = ?');
    params.push(q.providerId);
  }
  if (q.favourite !== undefined) {
    parts.push('e.favourite = ?');
    params.push(q.favourite ? 1 : 0);
  }
  if ((q.minRating ?? 0) > 0) {
    parts.push('e.rating >= ?');
    params.push(q.minRating ?? 0);
  }
  if (q.from !== undefined) {
    parts.push('e.time >= ?');
    params.push(boundOf(q.from, false));
  }
  if (q.to !== undefined) {
    parts.push('e.time <= ?');
    params.push(boundOf(q.to, true));
  }
  if (q.board === 'none') {
    if (liveBoards === undefined) parts.push('NOT EXISTS (SELECT 1 FROM board_entries b WHERE b.n = e.n)');
    else {
      parts.push(
        'NOT EXISTS (SELECT 1 FROM board_entries b WHERE b.n = e.n AND b.board IN (SELECT value FROM json_each(?)))',
      );
      params.push(JSON.stringify([...liveBoards]));
    }
  } else if (q.board !== undefined) {
    parts.push('e.n IN (SELECT n FROM board_entries WHERE board = ?)');
    params.push(q.board);
  }
  // Every word typed must begin a word of the prompt (case and accents ignored): "cast" finds
  // "castle", "cafe" finds "café". An index lookup per word (see README: why not substrings).
  const words = (q.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const indexed = words.filter((w) => !UNSPACED.test(w) && /[\p{L}\p{N}]/u.test(w));
  for (const w of words) {
    if (indexed.includes(w)) continue;
    parts.push('instr(e.prompt_lower, ?) > 0');
    params.push(w);
  }
  return { conds: parts, params, match: indexed.length > 0 ? indexed.map(ftsPrefix).join(' AND ') : null };
}

/** Key (rowid) for an entry made at `time` ms, given the highest key already used in its millisecond. */
export function keyFor(time: number, highestInMs: number | null): number {
  return highestInMs === null ? time * PER_MS : highestInMs + 1;
}
