/**
 * Does the screen fit? Everything the user can see must be inside the window and inside the box
 * that holds it: no sideways scrollbar (the job strip scrolls sideways on purpose), no label cut
 * short or spilling out of its button, no select or placeholder whose text does not fit. Returns
 * one line per problem, naming the element and its text, so a failure says what to look at.
 */
import type { Page } from 'playwright-core';

export function fitProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const vw = document.documentElement.clientWidth;
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${String(el.className).split(' ')[0] ?? ''} "${(
        el.getAttribute('aria-label') ??
        el.textContent ??
        ''
      )
        .trim()
        .slice(0, 40)}"`;
    /** Scrolls sideways on purpose. */
    const SIDEWAYS = '.jobs__list';
    /** Not on screen by design (skip link above the top, hidden helpers). */
    const OFFSCREEN = '.visually-hidden, .skip-link, [hidden], [role="progressbar"]';
    const canvas = document.createElement('canvas').getContext('2d')!;
    const textWidth = (text: string, el: Element) => {
      const cs = getComputedStyle(el);
      canvas.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      return canvas.measureText(text).width;
    };

    if (document.documentElement.scrollWidth > vw + 1) out.push(`the page is wider than the window`);
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      if (el.closest(OFFSCREEN)) continue;
      const cs = getComputedStyle(el);
      if (cs.display === 'none' || cs.visibility === 'hidden' || cs.display === 'contents') continue;
      const r = el.getBoundingClientRect();
      // Nothing to see, or hidden for screen readers' sake (1 px, clipped).
      if (r.width <= 1 || r.height <= 1) continue;
      const inSideways = el.closest(SIDEWAYS);
      // A sideways scrollbar where none is meant to be.
      if ((cs.overflowX === 'auto' || cs.overflowX === 'scroll') && !el.matches(SIDEWAYS)) {
        if (el.scrollWidth > el.clientWidth + 1) out.push(`scrolls sideways: ${name(el)}`);
      }
      // Outside the window.
      if (!inSideways && (r.left < -1 || r.right > vw + 1)) out.push(`outside the window: ${name(el)}`);
      // A label longer than its control (buttons do not wrap: the text would spill or be cut).
      if (el.matches('button, .btn, label, .badge, .chip__body') && el.scrollWidth > el.clientWidth + 1) {
        out.push(`label does not fit: ${name(el)}`);
      }
      // Text clipped by its own box (meant ellipses aside).
      if (
        (cs.overflowX === 'hidden' || cs.overflowX === 'clip') &&
        cs.textOverflow !== 'ellipsis' &&
        !el.matches('input, textarea, select, img, .tile, .tile *, .gallery__scroller, .lb-image__viewport') &&
        el.scrollWidth > el.clientWidth + 1
      ) {
        out.push(`cut off: ${name(el)}`);
      }
      // The chosen option of a select, and an input's placeholder, must be readable whole.
      if (el instanceof HTMLSelectElement) {
        const text = el.selectedOptions[0]?.textContent ?? '';
        const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 16;
        if (textWidth(text, el) > room + 1) out.push(`select text cut: ${name(el)} "${text}"`);
      }
      if (el instanceof HTMLInputElement && el.placeholder && !el.value && el.type !== 'date') {
        const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        if (textWidth(el.placeholder, el) > room + 1) out.push(`placeholder cut: ${name(el)} "${el.placeholder}"`);
      }
    }
    return [...new Set(out)];
  });
}
