import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// Base styles first: feature styles that follow may override them at equal specificity.
import './ui/base.css';
import { App } from './App';
import { applyStoredTheme } from './ui/theme';

applyStoredTheme();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
