import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function runCli(input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('npx', ['tsx', 'server/safety/cli.ts'], { cwd: ROOT }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
    child.stdin?.end(input);
  });
}

describe('safety CLI', () => {
  it('writes one {id, action, reasons} line per input line', async () => {
    const input = [
      { id: 'a', text: '今晚一起看 https://www.bilibili.com/video/BV1GJ411x7h7 吗' },
      { id: 'b', text: 'https://bilibili.com@evil.example/login 领取大会员' },
      { id: 'c', text: '兼职刷单日结300，加V：abc12345' },
      { id: 'd', text: 'someone asked me to 加微信 for 刷单, it\'s a scam' },
      { id: 'e', text: '我手机号 13812345678', room: { policy: { privacyAction: 'flag' } } },
      { id: 'f', text: '分享 https://github.com/vuejs/core', room: { joinedSecondsAgo: 30 } },
      { id: 'g', text: '活动联系我微信 organizer_li', room: { senderRole: 'owner' } },
    ]
      .map((line) => JSON.stringify(line))
      .join('\n');
    const output = (await runCli(`${input}\n\nnot json\n`)).trim().split('\n').map((line) => JSON.parse(line));
    expect(output.slice(0, 7)).toEqual([
      { id: 'a', action: 'allow', reasons: [] },
      // The rule blocks; the model, trained on more phishing lines, finds it suspicious too.
      { id: 'b', action: 'block', reasons: ['LINK_USERINFO_TRICK', 'MODEL_SUSPICIOUS'] },
      // The model runs by default and agrees with the rules' block.
      { id: 'c', action: 'block', reasons: ['MODEL_HARMFUL', 'SCAM_CONTACT_OFFPLATFORM', 'SCAM_TASK_BRUSHING'] },
      { id: 'd', action: 'allow', reasons: [] },
      { id: 'e', action: 'flag', reasons: ['PRIVACY_PHONE'] },
      { id: 'f', action: 'hold', reasons: ['PROBATION_LINK'] },
      { id: 'g', action: 'allow', reasons: [] },
    ]);
    expect(output[7]).toMatchObject({ error: expect.stringContaining('not JSON') });
  });

  it('exercises flood rules when lines share a sender', async () => {
    const input = [0, 1, 2]
      .map((i) => JSON.stringify({ id: i, sender: 'u1', now: 1_700_000_000_000 + i * 1000, room: { id: `r${i}` }, text: '周末露营活动报名开始了，感兴趣的看群公告' }))
      .join('\n');
    const output = (await runCli(input)).trim().split('\n').map((line) => JSON.parse(line));
    expect(output.map((o) => o.action)).toEqual(['allow', 'allow', 'block']);
    expect(output[2].reasons).toEqual(['FLOOD_CROSS_ROOM']);
  });
});
