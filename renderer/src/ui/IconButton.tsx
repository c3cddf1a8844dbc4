/** A button that shows only an icon: its label is both its accessible name and its tooltip. */
import type { ButtonHTMLAttributes, Ref } from 'react';
import { Icon, type IconName } from './Icon';

type Props = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type' | 'title' | 'aria-label' | 'children'> & {
  icon: IconName;
  label: string;
  small?: boolean;
  ref?: Ref<HTMLButtonElement>;
};

export function IconButton({ icon, label, small = false, className, ...rest }: Props) {
  const classes = ['icon-btn', small ? 'icon-btn--small' : '', className ?? ''].filter(Boolean).join(' ');
  return (
    <button type="button" className={classes} aria-label={label} title={label} {...rest}>
      <Icon name={icon} />
    </button>
  );
}
