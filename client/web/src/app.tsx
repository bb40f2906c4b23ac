/** The page: signed out → AuthScreen; signed in → rooms, the open room and its panel. Routes are paths. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { QuanziClient } from '../../sdk/index.ts';
import type { Room } from '../../../shared/schemas.ts';
import { initialLang, memberCount, setLang, t, type Lang } from './i18n/index.ts';
import { ChatStore, type View, type WireError } from './state/store.ts';
import { AuthScreen } from './components/auth.tsx';
import { ChatView } from './components/chat.tsx';
import { ErrorLine, StoreContext, toWireError, useStore } from './components/common.tsx';
import { CreateRoomView } from './components/create-room.tsx';
import { Discover } from './components/discover.tsx';
import { LangContext } from './components/language.tsx';
import { RoomPanel } from './components/room-panel/index.tsx';
import { Sidebar } from './components/sidebar.tsx';
import { DialogHost } from './components/dialog.tsx';
import { RequestsView } from './components/dm-requests.tsx';
import { MeView } from './components/my-profile.tsx';
import { ProfileCardHost } from './components/profile-card.tsx';
import { MeetupPopups } from './components/community/meetup-popups.tsx';
import { roomTitle } from './components/dm-list.tsx';
import { joinedEntry, titleCount } from './state/rooms.ts';
import { translateValidation } from './validation.ts';

const TOKEN_KEY = 'quanzi.token';

type Route = View | { kind: 'invite'; code: string };

function parseRoute(path: string): Route {
  const room = /^\/rooms\/([0-9a-fA-F-]{36})\/?$/.exec(path);
  if (room) return { kind: 'room', roomId: room[1]!.toLowerCase() };
  const invite = /^\/invite\/([A-Za-z0-9_-]{6,64})\/?$/.exec(path);
  if (invite) return { kind: 'invite', code: invite[1]! };
  if (path.startsWith('/discover')) return { kind: 'discover' };
  if (path === '/new' || path === '/new/') return { kind: 'create' };
  if (path === '/requests' || path === '/requests/') return { kind: 'requests' };
  if (path === '/me' || path === '/me/') return { kind: 'me' };
  return { kind: 'home' };
}

function pathOf(route: Route): string {
  switch (route.kind) {
    case 'room':
      return `/rooms/${route.roomId}`;
    case 'invite':
      return `/invite/${route.code}`;
    case 'discover':
      return '/discover';
    case 'create':
      return '/new';
    case 'requests':
      return '/requests';
    case 'me':
      return '/me';
    default:
      return '/';
  }
}

export function App() {
  const [lang, changeLang] = useState<Lang>(() => {
    const initial = initialLang();
    setLang(initial, false);
    return initial;
  });
  const [token, setToken] = useState<string | null>(() => localStorage.getItem(TOKEN_KEY));
  const [notice, setNotice] = useState<string | null>(null);
  const switchLang = (next: Lang) => {
    setLang(next);
    changeLang(next);
  };

  const store = useMemo(() => (token ? new ChatStore(new QuanziClient({ baseUrl: '', token })) : null), [token]);
  useEffect(() => translateValidation(document), []);

  useEffect(() => {
    if (!store) return;
    const off = store.subscribe(() => {
      if (store.signedOut) {
        localStorage.removeItem(TOKEN_KEY);
        setNotice(store.client.token ? t('auth.expired') : null);
        setToken(null);
      }
    });
    store.start().catch((error: unknown) => {
      if (toWireError(error).code === 'UNAUTHENTICATED') {
        localStorage.removeItem(TOKEN_KEY);
        setNotice(t('auth.expired'));
        setToken(null);
      }
    });
    return () => {
      off();
      store.stop();
    };
  }, [store]);

  return (
    <LangContext.Provider value={switchLang}>
      {store ? (
        <StoreContext.Provider value={store}>
          <Shell key={lang} />
        </StoreContext.Provider>
      ) : (
        <AuthScreen
          key={lang}
          client={new QuanziClient({ baseUrl: '' })}
          notice={notice}
          onSignedIn={(fresh) => {
            localStorage.setItem(TOKEN_KEY, fresh);
            setNotice(null);
            setToken(fresh);
          }}
        />
      )}
      <DialogHost />
    </LangContext.Provider>
  );
}

function Shell() {
  const store = useStore();
  const [route, setRoute] = useState<Route>(() => parseRoute(location.pathname));
  const [panelOpen, setPanelOpen] = useState(false);

  const navigate = (next: Route, replace = false) => {
    if (pathOf(next) !== location.pathname) history[replace ? 'replaceState' : 'pushState'](null, '', pathOf(next));
    setRoute(next);
    setPanelOpen(false);
  };

  useEffect(() => {
    const onPop = () => setRoute(parseRoute(location.pathname));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    if (route.kind !== 'invite') store.show(route);
  }, [pathOf(route), store.me?.id]);

  // The open room was taken away (kicked, banned, dissolved): leave it; the notice says why.
  const lost = route.kind === 'room' && !store.rooms.has(route.roomId) && store.notices.some((n) => n.roomId === route.roomId);
  useEffect(() => {
    if (lost) navigate({ kind: 'home' }, true);
  }, [lost]);

  useEffect(() => {
    const open = route.kind === 'room' ? store.rooms.get(route.roomId) : undefined;
    const title = open ? roomTitle(store, open) : null;
    const unread = titleCount(store.rooms.values());
    document.title = `${unread > 0 ? `(${unread > 999 ? '999+' : unread}) ` : ''}${title ? `${title} · ` : ''}${t('app.name') === 'Quanzi' ? 'Quanzi' : `${t('app.name')} Quanzi`}`;
  });

  const roomOpen = route.kind === 'room' || route.kind === 'invite' || route.kind === 'discover' || route.kind === 'create' || route.kind === 'requests' || route.kind === 'me';
  return (
    <div class={`shell${roomOpen ? ' has-main' : ''}${panelOpen ? ' has-panel' : ''}`}>
      {/* The first stop for the keyboard: past the room list and the room's header, to the box. */}
      <a
        class="skip-link"
        href={route.kind === 'room' ? '#composer-input' : '#main'}
        onClick={(e) => {
          e.preventDefault();
          (document.getElementById('composer-input') ?? document.getElementById('main'))?.focus();
        }}
      >
        {route.kind === 'room' ? t('a11y.skipToComposer') : t('a11y.skipToMain')}
      </a>
      <ConnectionBanner />
      <Notices />
      <MeetupPopups navigate={navigate} />
      <Sidebar navigate={navigate} />
      <main class="main" id="main" tabIndex={-1}>
        {route.kind === 'room' && <ChatView roomId={route.roomId} navigate={navigate} onOpenPanel={() => setPanelOpen(true)} />}
        {route.kind === 'discover' && <Discover navigate={navigate} />}
        {route.kind === 'create' && <CreateRoomView navigate={navigate} />}
        {route.kind === 'invite' && <InviteView code={route.code} navigate={navigate} />}
        {route.kind === 'requests' && <RequestsView navigate={navigate} />}
        {route.kind === 'me' && <MeView navigate={navigate} />}
        {route.kind === 'home' && (
          <div class="welcome">
            <h2>
              {t('app.name')} {t('app.name') !== 'Quanzi' && <span class="muted">Quanzi</span>}
            </h2>
            <p class="muted">{t('chat.welcome')}</p>
            <div class="row">
              <button type="button" class="primary" onClick={() => navigate({ kind: 'discover' })}>
                {t('rooms.discover')}
              </button>
              <button type="button" onClick={() => navigate({ kind: 'create' })}>
                {t('rooms.create')}
              </button>
            </div>
          </div>
        )}
      </main>
      {panelOpen && route.kind === 'room' && <RoomPanel roomId={route.roomId} onClose={() => setPanelOpen(false)} />}
      <ProfileCardHost navigate={navigate} />
    </div>
  );
}

/** Why a room disappeared from my list; stays until dismissed, in the current language. */
function Notices() {
  const store = useStore();
  if (store.notices.length === 0) return null;
  return (
    <div class="notices" role="alert">
      {store.notices.map((n) => (
        <p key={n.id} class={`removed-notice removed-${n.kind}`} data-room-id={n.roomId}>
          <span>{t(`removed.${n.kind}`, { name: n.roomName })}</span>
          <button type="button" class="ghost small" aria-label={t('common.close')} onClick={() => store.dismissNotice(n.id)}>
            ✕
          </button>
        </p>
      ))}
    </div>
  );
}

/** Shown while the realtime connection is not up, so nobody mistakes a quiet room for a dead one. */
function ConnectionBanner() {
  const store = useStore();
  const state = store.connection;
  if (state === 'connected' || (state === 'offline' && store.signedOut)) return null;
  const text = state === 'connecting' ? t('conn.connecting') : state === 'reconnecting' ? t('conn.reconnecting') : t('conn.offline');
  return (
    <div class={`connection-banner state-${state}`} role="status" aria-live="assertive" data-state={state}>
      {text}
    </div>
  );
}

function InviteView({ code, navigate }: { code: string; navigate: (view: Route, replace?: boolean) => void }) {
  const store = useStore();
  const [room, setRoom] = useState<Room | null>(null);
  const [error, setError] = useState<WireError | null>(null);
  useEffect(() => {
    store.client.rest.inviteInfo(code).then((info) => setRoom(info.room), (e: unknown) => setError(toWireError(e)));
  }, [code]);
  const accept = async () => {
    try {
      const joined = await store.client.rest.acceptInvite(code);
      store.rooms.set(joined.room.id, joinedEntry(joined.room, joined.role ?? 'member'));
      store.client.track(joined.room.id, { seq: joined.room.lastSeq, change: joined.room.lastChange });
      navigate({ kind: 'room', roomId: joined.room.id }, true);
      if ('rules' in joined && joined.rules?.rules) store.community.showRules(joined.room.id, joined.rules);
    } catch (e) {
      const wire = toWireError(e);
      if (wire.code === 'ALREADY_MEMBER' && room) navigate({ kind: 'room', roomId: room.id }, true);
      else setError(wire);
    }
  };
  return (
    <section class="chat preview">
      <div class="preview-body">
        <h2>{room?.name ?? '…'}</h2>
        {room?.topic && <p class="muted">{room.topic}</p>}
        {room && <p>{memberCount(room.memberCount)}</p>}
        <ErrorLine error={error} />
        {room && (
          <button type="button" class="primary" onClick={() => void accept()}>
            {t('rooms.join')}
          </button>
        )}
      </div>
    </section>
  );
}
