import Anthropic from '@anthropic-ai/sdk';

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  /** EX_TEMPFAIL: rate limited or overloaded after all retries; panecrew requeues the task later. */
  tempfail: 75,
  sigint: 130,
  sigterm: 143,
} as const;

export interface ClassifiedError {
  message: string;
  retryable: boolean;
  status?: number;
  exitCode: number;
}

const RETRYABLE_STATUS = (s: number): boolean => s === 408 || s === 409 || s === 429 || s >= 500;

/** Turns whatever the SDK threw into a message for people, the error event's fields and an exit code. */
export function classifyError(err: unknown, ctx: { maxRetries: number; baseURL: string }): ClassifiedError {
  if (err instanceof Anthropic.APIConnectionError) {
    return {
      message: `cannot reach the Messages API at ${ctx.baseURL}: ${err.message}${retriesNote(ctx.maxRetries)}`,
      retryable: true,
      exitCode: EXIT.failed,
    };
  }
  if (err instanceof Anthropic.APIError && typeof err.status === 'number') {
    const status = err.status;
    const body = err.error as { error?: { type?: string; message?: string } } | undefined;
    const type = body?.error?.type ?? 'error';
    const detail = body?.error?.message ?? err.message;
    const retryable = RETRYABLE_STATUS(status);
    const rateLimited = status === 429 || status === 529;
    return {
      message: `API error ${status} ${type}: ${detail}${retryable ? retriesNote(ctx.maxRetries) : ''}${
        rateLimited ? '; exiting with 75 so the task is requeued later' : ''
      }`,
      retryable,
      status,
      exitCode: rateLimited ? EXIT.tempfail : EXIT.failed,
    };
  }
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return { message: `internal error: ${message}`, retryable: false, exitCode: EXIT.failed };
}

const retriesNote = (n: number): string => (n > 0 ? ` (gave up after ${n} ${n === 1 ? 'retry' : 'retries'})` : '');
