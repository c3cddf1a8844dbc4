/** Transient notifications (with an optional action such as Undo). */
import { createContext, useContext } from 'react';

export interface ToastInput {
  message: string;
  tone?: 'info' | 'success' | 'error';
  action?: { label: string; run: () => void };
  /** Default 5 s; toasts with an action stay longer. */
  durationMs?: number;
}

export interface Toasts {
  show(toast: ToastInput): number;
  dismiss(id: number): void;
}

export const ToastContext = createContext<Toasts>({ show: () => 0, dismiss: () => {} });

export const useToasts = (): Toasts => useContext(ToastContext);
