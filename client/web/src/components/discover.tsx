/** Finding rooms by interest tag and search (and, at the end of the list, creating one). */
import { useEffect, useState } from 'preact/hooks';
import type { TargetedEvent } from 'preact';
import type { Room } from '../../../../shared/schemas.ts';
import { memberCount, t, tagLabel } from '../i18n/index.ts';
import type { View, WireError } from '../state/store.ts';
import { Avatar, ErrorLine, toWireError, useAction, useStore } from './common.tsx';
import { CreateRoom } from './create-room.tsx';
import { askText } from './dialog.tsx';

const SUGGESTED_TAGS = ['photography', 'gaming', 'books', 'study', 'pets', 'music', 'travel', 'food'];
const PAGE = 20;

export function Discover({ navigate }: { navigate: (view: View) => void }) {
  const store = useStore();
  const [query, setQuery] = useState('');
  const [tag, setTag] = useState<string | null>(null);
  const [rooms, setRooms] = useState<Room[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<WireError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = async (offset: number) => {
    setError(null);
    try {
      const found = await store.client.discoverRooms({ ...(query.trim() ? { q: query.trim() } : {}), ...(tag ? { tag } : {}), limit: PAGE, offset });
      setRooms(offset === 0 ? found : [...(rooms ?? []), ...found]);
      setMore(found.length === PAGE);
    } catch (e) {
      setError(toWireError(e));
    }
  };

  useEffect(() => {
    const timer = setTimeout(() => void load(0), 250);
    return () => clearTimeout(timer);
  }, [query, tag]);

  const tags = [...new Set([...SUGGESTED_TAGS, ...(rooms ?? []).flatMap((r) => r.tags)])].slice(0, 16);

  const join = async (room: Room) => {
    setError(null);
    setNotice(null);
    try {
      const answer = await askJoinQuestion(room);
      // Cancelled: no request is sent (it would reach the admins without an answer).
      if (answer === null) return;
      if ((await store.joinRoom(room.id, answer)) === 'requested') setNotice(t('rooms.requested'));
      else navigate({ kind: 'room', roomId: room.id });
    } catch (e) {
      setError(toWireError(e));
    }
  };

  return (
    <section class="discover" aria-labelledby="discover-title">
      <div class="discover-head">
        <button type="button" class="ghost back" onClick={() => navigate({ kind: 'home' })} aria-label={t('chat.back')}>
          ‹
        </button>
        <h2 id="discover-title">{t('discover.title')}</h2>
      </div>
      <input type="search" class="search" placeholder={t('discover.search')} aria-label={t('discover.search')} value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      <div class="tags" role="group" aria-label={t('discover.tags')}>
        <button type="button" class={tag === null ? 'chip active' : 'chip'} aria-pressed={tag === null} onClick={() => setTag(null)}>
          {t('discover.allTags')}
        </button>
        {tags.map((name) => (
          <button type="button" key={name} class={tag === name ? 'chip active' : 'chip'} aria-pressed={tag === name} onClick={() => setTag(tag === name ? null : name)}>
            #{tagLabel(name)}
          </button>
        ))}
      </div>
      <ErrorLine error={error} />
      {notice && <p class="notice">{notice}</p>}
      {rooms && rooms.length === 0 && <p class="muted">{t('discover.empty')}</p>}
      <ul class="room-cards">
        {(rooms ?? []).map((room) => {
          const joined = store.rooms.has(room.id);
          return (
            <li key={room.id} class="room-card">
              <Avatar name={room.name} id={room.id} size={44} />
              <div class="room-card-text">
                <strong>{room.name}</strong>
                {room.topic && <p class="muted">{room.topic}</p>}
                <p class="room-card-meta">
                  <span>{memberCount(room.memberCount)}</span>
                  {room.tags.map((name) => (
                    <span class="tag" key={name}>
                      #{tagLabel(name)}
                    </span>
                  ))}
                </p>
              </div>
              {joined ? (
                <button type="button" onClick={() => navigate({ kind: 'room', roomId: room.id })}>
                  {t('rooms.open')}
                </button>
              ) : store.requested.has(room.id) ? (
                <button type="button" disabled aria-disabled="true" class="requested">
                  {t('rooms.requestPending')}
                </button>
              ) : (
                <span class="room-card-actions">
                  {room.preview && (
                    <button type="button" class="preview-look" onClick={() => navigate({ kind: 'room', roomId: room.id })}>
                      {t('preview.look')}
                    </button>
                  )}
                  <button type="button" class="primary" onClick={() => void join(room)}>
                    {t('rooms.join')}
                  </button>
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {more && (
        <button type="button" onClick={() => void load(rooms?.length ?? 0)}>
          {t('discover.loadMore')}
        </button>
      )}
      <CreateRoom navigate={navigate} />
    </section>
  );
}

/** The room's join question, asked before a request: the answer, undefined when there is none to ask, null when cancelled. */
export async function askJoinQuestion(room: Room): Promise<string | undefined | null> {
  if (room.joinPolicy !== 'approval' || !room.joinQuestion) return undefined;
  // The answer's limit is the server's (JoinRoomBody.answer).
  return askText(t('rooms.joinAnswer'), room.joinQuestion, { submitLabel: t('rooms.sendRequest'), maxLength: 500 });
}
