// Recognises AI-assisted commits from their trailers (Assisted-by, Generated-by, Co-authored-by
// naming an AI tool) and bot authors; shared by the history index, risk and the checklist.

const AI_TOOLS = [
  'copilot', 'claude', 'anthropic', 'cursor', 'codex', 'openai', 'chatgpt', 'gpt-?\\d', 'gemini', 'devin',
  'aider', 'amazon q', 'codewhisperer', 'tabnine', 'codeium', 'windsurf', 'cody', 'sweep', 'jules',
];
const TOOL_RE = new RegExp(`(${AI_TOOLS.join('|')})`, 'i');
const TRAILER_RE = /^([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.+)$/;
const MARKER_KEY_RE = /(assisted-by|generated-by|ai-assisted|ai-generated|co-authored-by)\s*:/i;
const BOT_RE = /\[bot\]|\bbot@|^dependabot|^renovate|github-actions/i;

export interface AiAssistance {
  assisted: boolean;
  /** What gave it away, e.g. "Assisted-by: Claude", "bot author renovate[bot]". */
  markers: string[];
  /** Only a bot author gave it away (dependency bumps and the like, not AI-written code). */
  botOnly: boolean;
}

/** The trailer block: the last paragraph of the message, when every line of it is `Key: value`. */
function trailerLines(message: string): string[] {
  const paragraphs = message.replace(/\r/g, '').trimEnd().split(/\n\s*\n/);
  if (paragraphs.length < 2) return [];
  const last = paragraphs[paragraphs.length - 1].split('\n');
  return last.every((l) => TRAILER_RE.test(l) || /^\s/.test(l)) ? last.filter((l) => TRAILER_RE.test(l)) : [];
}

export function detectAiAssistance(message: string, authorName = '', authorEmail = '', extraPatterns: readonly string[] = []): AiAssistance {
  const markers: string[] = [];
  const extra = extraPatterns.map((p) => new RegExp(p, 'i'));
  // Without extra patterns only these keys make a trailer a marker: a message naming none of them
  // (nearly every one) is not split into paragraphs and lines, which a history walk would do for each commit.
  const trailers = extraPatterns.length || MARKER_KEY_RE.test(message) ? trailerLines(message) : [];
  for (const line of trailers) {
    const [, key, value] = TRAILER_RE.exec(line)!;
    const k = key.toLowerCase();
    if (k === 'assisted-by' || k === 'generated-by' || k === 'ai-assisted' || k === 'ai-generated') markers.push(`${key}: ${value.trim()}`);
    else if (k === 'co-authored-by' && TOOL_RE.test(value)) markers.push(`${key}: ${value.trim()}`);
    else if (extra.some((r) => r.test(line))) markers.push(line.trim());
  }
  const who = `${authorName} <${authorEmail}>`;
  const trailerMarkers = markers.length;
  let bot = false;
  if (BOT_RE.test(authorName) || BOT_RE.test(authorEmail)) {
    markers.push(`bot author ${authorName}`);
    bot = true;
  } else if (extra.some((r) => r.test(who))) markers.push(`author ${who}`);
  return { assisted: markers.length > 0, markers, botOnly: bot && trailerMarkers === 0 };
}
