/** Creating a room: the form, on its own page (the "New room" button) and at the end of Discover. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { TargetedEvent } from 'preact';
import { t } from '../i18n/index.ts';
import type { View } from '../state/store.ts';
import { ErrorLine, useAction, useStore } from './common.tsx';
import { VisibilityFields, type VisibilityValue } from './room-visibility.tsx';

function splitTags(text: string): string[] {
  return [...new Set(text.split(/[\s,，#]+/).filter(Boolean))];
}

/** The server's limits on tags (CreateRoomBody: at most 10, each at most 24 characters), said before sending. */
function tagsProblem(list: string[]): string {
  const long = list.find((tag) => [...tag].length > 24);
  if (long) return t('create.tagTooLong', { tag: long });
  return list.length > 10 ? t('create.tooManyTags') : '';
}

export function CreateRoom({ navigate, autoFocus = false }: { navigate: (view: View) => void; autoFocus?: boolean }) {
  const store = useStore();
  const [name, setName] = useState('');
  const [topic, setTopic] = useState('');
  const [tags, setTags] = useState('');
  const [visibility, setVisibility] = useState<VisibilityValue>({ visibility: 'public', preview: false });
  const { busy, error, run } = useAction();
  const nameBox = useRef<HTMLInputElement>(null);
  // The autofocus attribute only works on page load, not on a view the app puts up.
  useEffect(() => {
    if (autoFocus) nameBox.current?.focus();
  }, [autoFocus]);

  const submit = (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    void run(async () => {
      const list = splitTags(tags);
      const room = await store.createRoom({ name: name.trim(), topic: topic.trim(), tags: list, ...visibility });
      // The page's route decides what is shown: go there, or the form just stays on screen.
      navigate({ kind: 'room', roomId: room.id });
    });
  };

  return (
    <form class="create-room card" onSubmit={submit} aria-labelledby="create-title">
      <h3 id="create-title">{t('create.title')}</h3>
      <label>
        {t('create.name')}
        <input name="name" required maxLength={64} ref={nameBox} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label>
        {t('create.topic')}
        <input name="topic" maxLength={500} value={topic} onInput={(e) => setTopic(e.currentTarget.value)} />
      </label>
      <label>
        {t('create.tags')}
        <input
          name="tags"
          value={tags}
          onInput={(e) => {
            setTags(e.currentTarget.value);
            e.currentTarget.setCustomValidity(tagsProblem(splitTags(e.currentTarget.value)));
          }}
        />
      </label>
      <VisibilityFields name={autoFocus ? 'create-visibility' : 'create-visibility-inline'} value={visibility} onChange={setVisibility} />
      <ErrorLine error={error} />
      <button type="submit" class="primary" disabled={busy || !name.trim()}>
        {t('create.submit')}
      </button>
    </form>
  );
}

/** The page behind the "New room" button: the form alone, its first box focused. */
export function CreateRoomView({ navigate }: { navigate: (view: View) => void }) {
  return (
    <section class="discover create-view">
      <CreateRoom navigate={navigate} autoFocus />
    </section>
  );
}
