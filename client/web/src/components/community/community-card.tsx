/** A community card message's body: the card of its kind, from the item as it is now. */
import type { Message } from '../../../../../shared/schemas.ts';
import { cardData } from '../../state/community.ts';
import { useStore } from '../common.tsx';
import { ChallengeCard } from './challenge-card.tsx';
import { MeetupCard } from './meetup-card.tsx';
import { PollCard } from './poll-card.tsx';
import { SignupCard } from './signup-card.tsx';
import './community.css';

/** Whether a message is a community card (signup, poll, event, challenge) with its item. */
export function isCommunityCard(message: Message): boolean {
  return cardData(message) !== null;
}

export function CommunityCard({ message, staff }: { message: Message; staff: boolean }) {
  const store = useStore();
  const card = store.community.cardOf(message);
  if (!card) return null;
  switch (card.event) {
    case 'event':
      return <MeetupCard meetup={card.meetup} staff={staff} />;
    case 'signup':
      return <SignupCard signup={card.signup} staff={staff} />;
    case 'poll':
      return <PollCard poll={card.poll} staff={staff} />;
    case 'challenge':
      return <ChallengeCard challenge={card.challenge} />;
  }
}
