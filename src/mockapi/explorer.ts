import { offersTool, toolExchanges, type ToolExchange } from './inspect.js';
import type { MockReply, RecordedRequest } from './types.js';

// Tool names of the built-in agent, Claude Code and OpenCode, in order of preference.
const LIST_TOOLS = ['list_dir', 'LS', 'list'];
const GLOB_TOOLS = ['glob', 'Glob'];
const READ_TOOLS = ['read_file', 'Read', 'read'];
const PREFERRED_FILES = ['README.md', 'README', 'readme.md', 'package.json', 'Cargo.toml', 'pyproject.toml', 'go.mod'];

const firstOffered = (req: RecordedRequest, names: string[]): string | undefined => names.find((n) => offersTool(req, n));

function listingCall(req: RecordedRequest): MockReply | undefined {
  const list = firstOffered(req, LIST_TOOLS);
  if (list) return { text: 'Let me look at the repository layout.', toolUse: { name: list, input: { path: '.' } } };
  const glob = firstOffered(req, GLOB_TOOLS);
  if (glob) return { text: 'Let me look at the repository layout.', toolUse: { name: glob, input: { pattern: '*' } } };
  return undefined;
}

/** Entries of a listing result: one per line, directories ending in `/`, notes in brackets skipped. */
function entries(listing: string): string[] {
  return listing
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('[') && !l.startsWith('('));
}

/** Entries of a listing, prefixed with the listed folder so they can be passed back to the tools. */
function withFolder(listing: ToolExchange): string[] {
  const folder = typeof listing.input.path === 'string' ? listing.input.path.replace(/\/$/, '') : '.';
  return entries(listing.result).map((n) => (folder === '.' || folder === '' || n.startsWith('/') ? n : `${folder}/${n}`));
}

function pickFile(names: string[]): string | undefined {
  const files = names.filter((n) => !n.endsWith('/'));
  const base = (n: string): string => n.split('/').pop() ?? n;
  for (const preferred of PREFERRED_FILES) {
    const hit = files.find((n) => base(n) === preferred);
    if (hit) return hit;
  }
  return files[0];
}

function readCall(tool: string, file: string): MockReply {
  const input = tool === 'Read' ? { file_path: file } : tool === 'read' ? { filePath: file } : { path: file };
  return { text: `Now reading ${file}.`, toolUse: { name: tool, input } };
}

function excerpt(text: string): string {
  const lines = text
    .split('\n')
    // Claude Code numbers lines as "     1→text"; keep only the text.
    .map((l) => l.replace(/^\s*\d+[→\t]/, '').trim())
    .filter((l) => l !== '')
    .slice(0, 3);
  const joined = lines.join(' / ');
  return joined.length > 240 ? `${joined.slice(0, 237)}...` : joined;
}

function summary(exchanges: ToolExchange[]): string {
  const parts: string[] = ['Exploration summary.'];
  const listing = exchanges.find((e) => [...LIST_TOOLS, ...GLOB_TOOLS].includes(e.name) && !e.isError);
  if (listing) {
    const names = entries(listing.result);
    const shown = names.slice(0, 12).join(', ');
    parts.push(`The repository has ${names.length} top-level entries: ${shown}${names.length > 12 ? ', …' : ''}.`);
  }
  for (const read of exchanges.filter((e) => READ_TOOLS.includes(e.name))) {
    const file = String(read.input.path ?? read.input.file_path ?? read.input.filePath ?? '?');
    parts.push(read.isError ? `Reading ${file} failed: ${read.result}` : `${file} begins: ${excerpt(read.result)}`);
  }
  if (exchanges.length === 0) parts.push('No tools were available, so I could not look at the files.');
  return parts.join('\n');
}

/**
 * The demo's script: list the repository, read its most telling file, then answer with a summary
 * built from the tool results it got back — so the answer really reflects the files.
 */
export function explorerScript(req: RecordedRequest): MockReply {
  // Title and other side requests carry no tools.
  if (req.tools.length === 0) return { text: 'Exploring the repository' };
  const exchanges = toolExchanges(req);
  if (exchanges.length === 0) return listingCall(req) ?? { text: summary([]) };

  const read = firstOffered(req, READ_TOOLS);
  const alreadyRead = exchanges.some((e) => READ_TOOLS.includes(e.name));
  const listings = exchanges.filter((e) => [...LIST_TOOLS, ...GLOB_TOOLS].includes(e.name) && !e.isError);
  const latest = listings[listings.length - 1];
  if (read && !alreadyRead && latest) {
    const names = withFolder(latest);
    const file = pickFile(names);
    if (file) return readCall(read, file);
    // Only folders so far: look one level down (a few times at most) to find something to read.
    const folder = names.find((n) => n.endsWith('/'));
    const list = firstOffered(req, LIST_TOOLS);
    if (folder && list && listings.length < 3) {
      return { text: `Looking inside ${folder}`, toolUse: { name: list, input: { path: folder.replace(/\/$/, '') } } };
    }
  }
  return { text: summary(exchanges) };
}
