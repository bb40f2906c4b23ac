/**
 * The composer's "+" menu: start a 接龙, a poll, a check-in challenge, or (owner and admins) a
 * meetup — or propose one, where the room lets members. A menu button in the ARIA way: Enter or ↓ opens it on the first item, the arrows
 * move, Escape closes it and gives focus back to the button.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { t, type MessageKey } from '../../i18n/index.ts';
import { useStore } from '../common.tsx';
import { ChallengeForm } from './challenge-form.tsx';
import { openCommunityDialog } from './dialogs.tsx';
import { MeetupForm } from './meetup-form.tsx';
import { PollForm } from './poll-form.tsx';
import { SignupForm } from './signup-form.tsx';

type Kind = 'signup' | 'poll' | 'event' | 'challenge';

const ITEMS: Array<{ kind: Kind; icon: string; label: MessageKey; staffOnly?: boolean }> = [
  { kind: 'signup', icon: '📝', label: 'community.create.signup' },
  { kind: 'poll', icon: '📊', label: 'community.create.poll' },
  { kind: 'event', icon: '📅', label: 'community.create.meetup', staffOnly: true },
  { kind: 'challenge', icon: '🔥', label: 'community.create.challenge' },
];

export function openCreateForm(kind: Kind, roomId: string): void {
  openCommunityDialog((close) => {
    switch (kind) {
      case 'signup':
        return <SignupForm roomId={roomId} onClose={close} />;
      case 'poll':
        return <PollForm roomId={roomId} onClose={close} />;
      case 'event':
        return <MeetupForm roomId={roomId} onClose={close} />;
      case 'challenge':
        return <ChallengeForm roomId={roomId} onClose={close} />;
    }
  });
}

export function CreateMenu({ roomId, staff, disabled }: { roomId: string; staff: boolean; disabled: boolean }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const proposing = useStore().rooms.get(roomId)?.room.membersProposeEvents === true;
  const items = ITEMS.filter((item) => staff || !item.staffOnly || (item.kind === 'event' && proposing)).map((item) =>
    item.kind === 'event' && !staff ? { ...item, label: 'meetups.propose' as MessageKey } : item,
  );
  const focusItem = (i: number) => {
    const all = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    all[(i + all.length) % all.length]?.focus();
  };
  useEffect(() => {
    if (open) requestAnimationFrame(() => focusItem(0));
  }, [open]);
  useEffect(() => {
    if (!open) return;
    const away = (event: MouseEvent) => {
      if (!menu.current?.contains(event.target as Node) && event.target !== button.current) setOpen(false);
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const onMenuKey = (event: KeyboardEvent) => {
    const all = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = all.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      focusItem(at + (event.key === 'ArrowDown' ? 1 : -1));
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      focusItem(event.key === 'Home' ? 0 : -1);
    } else if (event.key === 'Escape' || event.key === 'Tab') {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  };
  return (
    <div class="create-menu">
      <button
        ref={button}
        type="button"
        class="ghost create-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls="create-menu-list"
        aria-label={t('community.create.open')}
        title={t('community.create.open')}
        disabled={disabled}
        onClick={() => setOpen(!open)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        +
      </button>
      {open && (
        <ul ref={menu} id="create-menu-list" class="create-menu-list" role="menu" aria-label={t('community.create.open')} onKeyDown={onMenuKey}>
          {items.map((item) => (
            <li key={item.kind} role="none">
              <button
                type="button"
                role="menuitem"
                class="ghost"
                data-kind={item.kind}
                tabIndex={-1}
                onClick={() => {
                  // Focus back on "+" first: the dialog returns it there when it closes.
                  button.current?.focus();
                  setOpen(false);
                  openCreateForm(item.kind, roomId);
                }}
              >
                <span aria-hidden="true">{item.icon}</span> {t(item.label)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
