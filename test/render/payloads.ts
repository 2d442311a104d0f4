// Terminal escape payloads from issue 17, and the raw bytes that must never reach a terminal.
export const PAYLOADS = [
  '\u001b]52;c;cGFuZWNyZXc=\u0007', // OSC 52: write the clipboard
  '\u001b[2J\u001b[1;1HFAKE', // clear the screen, move home, spoof a row
  '\u001b[5A\u001b[10C', // cursor moves
  'ding\u0007', // BEL
  '\u009b2J', // 8-bit CSI
  '\u202egnp.exe', // right-to-left override
  'a\rover', // carriage return overwriting the line
];

/** Any of these in output means a payload reached the terminal raw. */
export const RAW = ['\u001b', '\u0007', '\u009b', '\u202e', '\r'];
