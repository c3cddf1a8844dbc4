/** Icons the organising features need besides the app's own set (ui/Icon.tsx), drawn the same way. */
const PATHS = {
  compare: 'M12 3v18M4 5h5v14H4zM15 5h5v14h-5',
  sideBySide: 'M3.5 5h7.5v14H3.5zM13 5h7.5v14H13z',
  slider: 'M4 5h16v14H4zM12 3v18M9.5 12l-2-2M9.5 12l-2 2M14.5 12l2-2M14.5 12l2 2',
  keyboard: 'M3 7h18v11H3zM6.5 10.5h.01M10 10.5h.01M13.5 10.5h.01M17 10.5h.01M7.5 14.5h9',
  rate: 'M12 4l2.3 4.8 5.2.7-3.8 3.6.9 5.2L12 15.8l-4.6 2.5.9-5.2-3.8-3.6 5.2-.7zM3 21h18',
  unstar: 'M12 3.5l2.6 5.4 5.9.8-4.3 4.1 1 5.9L12 16.9l-5.2 2.8 1-5.9-4.3-4.1 5.9-.8zM4 4l16 16',
  swap: 'M7 7h13M16 3l4 4-4 4M17 17H4M8 13l-4 4 4 4',
  more: 'M6 12h.01M12 12h.01M18 12h.01',
} as const;

export type OrgIconName = keyof typeof PATHS;

export function OrgIcon({ name, className }: { name: OrgIconName; className?: string }) {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      viewBox="0 0 24 24"
      width="18"
      height="18"
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
