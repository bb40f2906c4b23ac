/**
 * A labelled example (test/safety/dataset/labelled/) and the figures of issue #18 measured on a
 * set of them: what training, the threshold search and the evaluation all speak of.
 */

export type Label = 'block' | 'hold' | 'allow';
export interface Example {
  text: string;
  label: Label;
  kind: string;
  lang: string;
}

export interface Figures {
  messages: number;
  blockPrecision: number;
  blockRecall: number;
  notAllowedRecall: number;
  benignFalsePositives: number;
  benignBlocked: number;
}

/**
 * The figures of issue #18. A message is stopped when it is held or blocked; a flag delivers it
 * (staff are told), so it counts as allowed on both sides: in recall and in false positives.
 */
export function figuresOf(examples: Example[], decide: (text: string, index: number) => 'allow' | 'flag' | 'hold' | 'block'): Figures {
  let blockTp = 0;
  let blockFp = 0;
  let blocks = 0;
  let bad = 0;
  let badCaught = 0;
  let benign = 0;
  let benignStopped = 0;
  let benignBlocked = 0;
  for (const [index, example] of examples.entries()) {
    const decided = decide(example.text, index);
    const action = decided === 'flag' ? 'allow' : decided;
    if (example.label === 'block') blocks++;
    if (action === 'block') example.label === 'block' ? blockTp++ : blockFp++;
    if (example.label !== 'allow') {
      bad++;
      if (action !== 'allow') badCaught++;
    } else {
      benign++;
      if (action !== 'allow') benignStopped++;
      if (action === 'block') benignBlocked++;
    }
  }
  const ratio = (a: number, b: number) => (b === 0 ? 1 : Math.round((a / b) * 1000) / 1000);
  return {
    messages: examples.length,
    blockPrecision: ratio(blockTp, blockTp + blockFp),
    blockRecall: ratio(blockTp, blocks),
    notAllowedRecall: ratio(badCaught, bad),
    benignFalsePositives: ratio(benignStopped, benign),
    benignBlocked: ratio(benignBlocked, benign),
  };
}
