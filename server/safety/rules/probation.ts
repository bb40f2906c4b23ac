// Rule "probation": for a while after joining, a member's links, images and mentions of others
// (not of the person they reply to, nor of the room's staff) wait for review. Spam accounts join and post within minutes; real newcomers rarely need links at once.

import { isOnList } from '../links/judge-link.ts';
import { finding } from '../reasons.ts';
import { present, type SafetyRule } from '../rule.ts';
import { countOutreachMentions } from '../mentions.ts';

export const probationRule: SafetyRule = {
  name: 'probation',
  exemptible: true,
  check({ message, text, links, ctx, strictness }) {
    const joinedAt = ctx.sender.joinedAt?.getTime();
    if (joinedAt === undefined || ctx.now - joinedAt >= ctx.policy.probationSeconds * 1000) return [];
    const unvettedLinks = links().filter((link) => !isOnList(link.asciiHost, ctx.policy.allowedDomains));
    return present([
      unvettedLinks.length > 0 ? finding('PROBATION_LINK', 'hold', strictness) : null,
      message.hasImage ? finding('PROBATION_IMAGE', 'hold', strictness) : null,
      // Replying to someone, or asking the owner or an admin, is how a newcomer joins the conversation.
      message.mentionsAll || countOutreachMentions(message, text) > 0 ? finding('PROBATION_MENTION', 'hold', strictness) : null,
    ]);
  },
};
