import type { z } from 'zod';
import type { Confinement } from '../confine.js';

export interface ToolContext {
  confine: Confinement;
}

/** One read-only tool: its schema for the model, its input check, and how it is shown to people. */
export interface AgentTool<I = Record<string, unknown>> {
  name: string;
  description: string;
  /** JSON Schema sent to the model. */
  inputSchema: { type: 'object'; properties: Record<string, unknown>; required?: string[] };
  /** The same contract, checked on what the model actually sent. */
  parse: z.ZodType<I>;
  /** Short human text for the events file, e.g. "Read src/auth.ts". */
  step(input: I): string;
  /** The transcript line after the arrow, e.g. "read_file src/auth.ts (1-80)". */
  describe(input: I): string;
  /** The tool_result text. Throws for errors; the message becomes an is_error result. */
  run(input: I, ctx: ToolContext): Promise<string>;
}
