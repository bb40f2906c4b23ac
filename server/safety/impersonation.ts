// A nickname that poses as the room's staff: their name with a title added ("Mei（群主）",
// "Mei_admin"), the same name with look-alike letters ("Meі" with a Cyrillic і), or a staff title
// alone ("群主", "管理员小号", "Admin"). Scammers take a staff member's name, then DM members for
// codes and fees; in QQ and WeChat groups the nickname is what people read.

import { foldText } from './normalize.ts';
import { skeletonOf } from './links/skeleton.ts';

// Titles staff carry and members should not: stripped before names are compared, and refused alone.
const STAFF_TITLE = /群主|群管理员|管理员|群管|管理|版主|官方|客服|(?<![a-z])(?:admin|administrator|owner|moderator|mod|staff|official)(?![a-z])/g;
const SEPARATORS = /[\s\p{P}\p{S}_]+/gu;

export interface StaffName {
  userId: string;
  name: string;
}

/** The staff member this nickname would pass for, `title` when it claims a staff title, or null. */
export function impersonatedStaff(nickname: string, staff: readonly StaffName[]): { userId: string | null; name: string } | null {
  const folded = foldText(nickname);
  STAFF_TITLE.lastIndex = 0;
  const titled = STAFF_TITLE.test(folded);
  const bare = skeletonOf(folded.replace(STAFF_TITLE, ' ').replace(SEPARATORS, ''));
  if (bare !== '') {
    for (const member of staff) {
      const theirs = skeletonOf(foldText(member.name).replace(STAFF_TITLE, ' ').replace(SEPARATORS, ''));
      if (theirs !== '' && theirs === bare) return { userId: member.userId, name: member.name };
    }
  }
  return titled ? { userId: null, name: nickname } : null;
}
