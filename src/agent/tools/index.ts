import type { Tool } from '@anthropic-ai/sdk/resources/messages';
import { RefusedPath } from '../confine.js';
import { globTool } from './glob.js';
import { grepTool } from './grep.js';
import { listDirTool } from './list-dir.js';
import { readFileTool } from './read-file.js';
import type { AgentTool, ToolContext } from './types.js';

export type { AgentTool, ToolContext } from './types.js';

// Read-only by design: the built-in agent explores and reports; it never writes or runs commands.
export const TOOLS: ReadonlyArray<AgentTool<never>> = [
  readFileTool,
  listDirTool,
  globTool,
  grepTool,
] as unknown as ReadonlyArray<AgentTool<never>>;

export function toolDefinitions(): Tool[] {
  return TOOLS.map((t) => ({ name: t.name, description: t.description, input_schema: t.inputSchema }));
}

/** How a call is shown: short step text for the events file, a line for the transcript. */
export function describeCall(name: string, rawInput: unknown): { step: string; describe: string } {
  const tool = findTool(name);
  const parsed = tool?.parse.safeParse(rawInput ?? {});
  if (!tool || !parsed?.success) {
    return { step: `${name} (${tool ? 'invalid input' : 'unknown tool'})`, describe: `${name} ${JSON.stringify(rawInput ?? {})}` };
  }
  return { step: tool.step(parsed.data), describe: tool.describe(parsed.data) };
}

/** What one tool call produced: the tool_result text, and whether it is an error (refused: a confinement refusal). */
export interface ToolOutcome {
  text: string;
  isError: boolean;
  refused: boolean;
}

/** Runs one tool call from the model. Never throws: every failure becomes an is_error result the model can read. */
export async function runTool(name: string, rawInput: unknown, ctx: ToolContext): Promise<ToolOutcome> {
  const tool = findTool(name);
  if (!tool) {
    return { text: `unknown tool ${name}; available: ${TOOLS.map((t) => t.name).join(', ')}`, isError: true, refused: false };
  }
  const parsed = tool.parse.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
    return { text: `invalid input for ${name}: ${why}`, isError: true, refused: false };
  }
  try {
    return { text: await tool.run(parsed.data, ctx), isError: false, refused: false };
  } catch (err) {
    return { text: err instanceof Error ? err.message : String(err), isError: true, refused: err instanceof RefusedPath };
  }
}

function findTool(name: string): AgentTool<unknown> | undefined {
  return TOOLS.find((t) => t.name === name) as AgentTool<unknown> | undefined;
}
