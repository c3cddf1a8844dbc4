/**
 * The entry, small on purpose: it sets the theme, opens the bridge and sends the first screen's
 * queries, and only then loads React and the app (their own chunk), so the answers travel while
 * that code downloads, compiles and renders.
 */
// Base styles first: feature styles that follow may override them at equal specificity.
import './ui/base.css';
import { prefetchFirstScreen } from './bridge/early';
import { whenIdle } from './ui/idle';
import { applyStoredTheme } from './ui/theme-apply';

applyStoredTheme();
prefetchFirstScreen();
void import('./start').then(({ start }) => start(document.getElementById('root')!));
// The first number formatter loads ICU's data (tens of ms): let that happen while the main thread
// waits for the app's code, not in the first render (which formats the prompt's character count).
whenIdle(() => new Intl.NumberFormat(navigator.language).format(0));
