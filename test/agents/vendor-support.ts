// Codex CLI and Gemini CLI offline against the local server: each gets a home of its own holding
// the settings that point it at the server (never the user's own files).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { offersTool, toolExchanges, type MockReply, type RecordedRequest } from '../support/mock-api.js';
import { BIN } from './support.js';

/**
 * Codex: a provider on the local server in $CODEX_HOME/config.toml (Responses API, key from env).
 * TMPDIR moves away from the home: codex refuses to put its sandbox helper under the temp dir, and
 * without it every sandboxed command fails.
 */
export function codexEnv(url: string, home: string): Record<string, string> {
  const codexHome = join(home, '.codex');
  const tmp = join(home, 'tmp');
  mkdirSync(codexHome, { recursive: true });
  mkdirSync(tmp, { recursive: true });
  writeFileSync(
    join(codexHome, 'config.toml'),
    [
      'model = "mock-model"',
      'model_provider = "mock"',
      '[model_providers.mock]',
      'name = "local mock"',
      `base_url = "${url}/v1"`,
      'wire_api = "responses"',
      'env_key = "MOCK_API_KEY"',
      'request_max_retries = 0',
      'stream_max_retries = 0',
      '',
    ].join('\n'),
  );
  return { PATH: `${BIN}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: home, CODEX_HOME: codexHome, TMPDIR: tmp, MOCK_API_KEY: 'sk-test-dummy' };
}

/** Gemini CLI: API-key auth chosen in $HOME/.gemini/settings.json, the Gemini API at GOOGLE_GEMINI_BASE_URL. */
export function geminiEnv(url: string, home: string): Record<string, string> {
  mkdirSync(join(home, '.gemini'), { recursive: true });
  writeFileSync(
    join(home, '.gemini', 'settings.json'),
    JSON.stringify({
      security: { auth: { selectedType: 'gemini-api-key' }, folderTrust: { enabled: false } },
      privacy: { usageStatisticsEnabled: false },
      general: { disableAutoUpdate: true },
    }),
  );
  return { PATH: `${BIN}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: home, GEMINI_API_KEY: 'test-dummy-key', GOOGLE_GEMINI_BASE_URL: url };
}

/**
 * The model: call `tool` with `input` when it is offered, then answer quoting its result (so the
 * phrase reaches the answer only through the real tool). Other requests get a short text.
 */
export function toolScript(tool: string, input: Record<string, unknown>) {
  return (req: RecordedRequest): MockReply => {
    if (!offersTool(req, tool)) return { text: 'OK' };
    const done = toolExchanges(req).find((e) => e.name === tool);
    if (!done) return { text: 'Let me look.', toolUse: { name: tool, input } };
    return { text: `The notes say: ${done.result.replace(/\s+/g, ' ').slice(0, 400)}` };
  };
}
