// How to read an agent TUI's input box off its screen, one small rule per vendor, named by the
// profile: the text the person has typed there ('' when empty), or null when no input box shows
// (a dialog covers it, or the TUI is not up). Screens are `capture-pane -p` text, no styles.

export type InputBoxReader = (screen: string) => string | null;

const RULE = /^─{8,}$/;

/**
 * Claude Code 2.1: the input sits between two full-width rules, its first line starting with `❯`
 * (an empty box is `❯` and a no-break space); a multi-line input continues on the lines under it.
 * The last such box on the screen is the live one.
 */
function claudeInputBox(screen: string): string | null {
  const lines = screen.split('\n').map((l) => l.trimEnd());
  for (let i = lines.length - 1; i > 0; i--) {
    const first = /^❯(.*)$/.exec(lines[i]!);
    if (!first || !RULE.test(lines[i - 1]!.trim())) continue;
    const typed = [first[1]!];
    for (let j = i + 1; j < lines.length && !RULE.test(lines[j]!.trim()); j++) typed.push(lines[j]!);
    // Without a closing rule this was not the box (scrolled text that happens to start with ❯).
    if (i + typed.length >= lines.length) continue;
    return typed.join('\n').trim();
  }
  return null;
}

/** OpenCode 1.18's placeholder in an empty box of a new session: not typed text. */
const OPENCODE_PLACEHOLDER = /^Ask anything… /;

/**
 * OpenCode 1.18: the box is a run of lines starting with `┃`, its last one the agent and model
 * (`┃  Build · Claude …`), closed by a `╹▀▀▀…` line; the typed text is on the lines above that one
 * (a new session's empty box shows the placeholder). A dialog (a permission to answer) replaces the
 * box: no closing line, no box.
 */
function opencodeInputBox(screen: string): string | null {
  const lines = screen.split('\n').map((l) => l.trim());
  let close = lines.length - 1;
  while (close >= 0 && !/^╹▀{8,}/.test(lines[close]!)) close--;
  if (close < 2 || !lines[close - 1]!.startsWith('┃')) return null;
  const typed: string[] = [];
  for (let i = close - 2; i >= 0 && lines[i]!.startsWith('┃'); i--) typed.unshift(lines[i]!.slice(1).trim());
  const text = typed.join('\n').trim();
  return OPENCODE_PLACEHOLDER.test(text) ? '' : text;
}

/**
 * Codex 0.171: the input is the last line starting with `›` (the status and footer lines follow it,
 * so only that first line is read). An empty box shows a dimmed placeholder, which capture-pane
 * without styles cannot tell from text: those Codex shows are known and read as ''.
 */
function codexInputBox(screen: string): string | null {
  const lines = screen.split('\n').map((l) => l.trimEnd());
  for (let i = lines.length - 1; i >= 0; i--) {
    const first = /^›(?: (.*))?$/.exec(lines[i]!);
    if (!first) continue;
    const typed = (first[1] ?? '').trim();
    return CODEX_PLACEHOLDERS.has(typed) ? '' : typed;
  }
  return null;
}

const CODEX_PLACEHOLDERS = new Set(['Ask Codex to do anything', 'Ask a follow-up question']);

/**
 * Gemini CLI 0.61: the box is the line starting with `>` a few lines under a full-width rule (a hint
 * such as `Shift+Tab to accept edits` and the box's blank top line sit between them); the person's prompts echoed in the history also
 * start with `>`, but no rule is right above them. Only its first line is read. A dialog (a tool to
 * approve) replaces the box. An empty box shows a dimmed placeholder, read as ''.
 */
function geminiInputBox(screen: string): string | null {
  const lines = screen.split('\n').map((l) => l.trim());
  for (let i = lines.length - 1; i > 0; i--) {
    const first = /^>(?:\s+(.*))?$/.exec(lines[i]!);
    if (!first || !lines.slice(Math.max(0, i - 3), i).some((l) => RULE.test(l))) continue;
    const typed = (first[1] ?? '').trim();
    return typed === GEMINI_PLACEHOLDER ? '' : typed;
  }
  return null;
}

const GEMINI_PLACEHOLDER = 'Type your message or @path/to/file';

export const INPUT_BOXES = {
  claude: claudeInputBox,
  codex: codexInputBox,
  gemini: geminiInputBox,
  opencode: opencodeInputBox,
} as const satisfies Record<string, InputBoxReader>;

export type InputBoxName = keyof typeof INPUT_BOXES;

/**
 * How long Enter must wait once the pasted text shows: Gemini CLI 0.61 turns an Enter that comes
 * within 40 ms of a bracketed paste into a newline (it trusts pastes only on terminals with the
 * kitty keyboard protocol, which tmux lacks), and the follow-up is never sent.
 */
export const ENTER_AFTER_PASTE_MS: Partial<Record<InputBoxName, number>> = { gemini: 100 };
