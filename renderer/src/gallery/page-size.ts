/** Entries per `history:query` page. Its own module: the entry imports it without the pager's code. */
export const HISTORY_PAGE_SIZE = 150;
