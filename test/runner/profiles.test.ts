import { execFile } from 'node:child_process';
import { mkdtemp, writeFile, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { argvVars, expandArgv, validateArgvTemplate, ArgvTemplateError } from '../../src/runner/argv-template.js';
import {
  applyPromptPrefix,
  BUILTIN_CATEGORIES,
  BUILTIN_SUBAGENTS,
  checkCategoryAgents,
  resolveCategories,
  named,
  UnknownNameError,
} from '../../src/runner/categories.js';
import { ProfileSchema, resumeTemplate } from '../../src/runner/profile-schema.js';
import { BUILTIN_PROFILES, installedCheck, ProfileConfigError, resolveProfiles } from '../../src/runner/profiles.js';

const run = promisify(execFile);

const task = {
  prompt: 'fix the "auth" bug; $(rm -rf ~) `whoami` -- --help',
  promptFile: '/state/tasks/bg_12345678/prompt.md',
  cwd: '/home/dev/project',
  taskId: 'bg_12345678',
  taskDir: '/state/tasks/bg_12345678',
  panecrew: '/opt/panecrew/dist/cli/main.js',
};

describe('argv expansion', () => {
  it('substitutes placeholders inside elements and keeps the prompt one argument, verbatim', () => {
    const argv = expandArgv(['tool', '{prompt}', '--out={task_dir}/x.json', '{task_id}'], argvVars(task));
    expect(argv).toEqual(['tool', task.prompt, '--out=/state/tasks/bg_12345678/x.json', 'bg_12345678']);
  });

  it('never re-reads substituted text: a prompt holding "{model}" stays as written', () => {
    expect(expandArgv(['echo', '{prompt}'], argvVars({ ...task, prompt: '{model} {{x}}', model: 'a/b' }))).toEqual(['echo', '{model} {{x}}']);
  });

  it('splits a model into {model}, {model_name} and {provider}', () => {
    const vars = argvVars({ ...task, model: 'anthropic/claude-opus-4-5' });
    expect(expandArgv(['x', '{model}', '{model_name}', '{provider}'], vars)).toEqual(['x', 'anthropic/claude-opus-4-5', 'claude-opus-4-5', 'anthropic']);
  });

  it('drops an optional element and its flag when the model is not set', () => {
    const template = ['claude', '-p', '--model', '?{model_name}', '--', '{prompt}'];
    expect(expandArgv(template, argvVars(task))).toEqual(['claude', '-p', '--', task.prompt]);
    expect(expandArgv(template, argvVars({ ...task, model: 'anthropic/claude-sonnet-4-5' }))).toEqual([
      'claude',
      '-p',
      '--model',
      'claude-sonnet-4-5',
      '--',
      task.prompt,
    ]);
  });

  it('reads {{ and }} as literal braces and ?? as a literal leading ?', () => {
    expect(expandArgv(['bash', '-c', 'echo {{1..3}} {task_id}', '??x'], argvVars(task))).toEqual(['bash', '-c', 'echo {1..3} bg_12345678', '?x']);
  });

  it('refuses to pass an empty argument for a required placeholder that has no value', () => {
    expect(() => expandArgv(['agent', '--model', '{model_name}'], argvVars(task))).toThrow(ArgvTemplateError);
    expect(() => expandArgv(['agent', '--model', '{model_name}'], argvVars(task))).toThrow(/element 2 .*needs \{model_name\}/);
  });

  it('fills {node} with this Node and resolves {panecrew}', () => {
    const argv = expandArgv(BUILTIN_PROFILES.builtin!.command, argvVars({ ...task, model: 'anthropic/claude-haiku-4-5' }));
    expect(argv).toEqual([
      process.execPath,
      '/opt/panecrew/dist/cli/main.js',
      'agent',
      '--prompt-file',
      task.promptFile,
      '--model',
      'claude-haiku-4-5',
      '--events',
      '/state/tasks/bg_12345678/events.jsonl',
    ]);
  });

  it('hands the prompt to a real process byte for byte, with no shell in between', async () => {
    const argv = expandArgv(['printf', '%s', '{prompt}'], argvVars(task));
    const { stdout } = await run(argv[0]!, argv.slice(1));
    expect(stdout).toBe(task.prompt);
  });
});

describe('template validation', () => {
  it('names the element and the unknown placeholder', () => {
    expect(validateArgvTemplate(['x', '--model', '{modle}'])).toEqual([{ index: 2, message: expect.stringMatching(/unknown placeholder \{modle\}/) }]);
  });

  it('rejects optional elements that cannot work', () => {
    expect(validateArgvTemplate(['?{node}'])[0]?.message).toMatch(/executable .* cannot be optional/);
    expect(validateArgvTemplate(['x', '?--verbose'])[0]?.message).toMatch(/has no placeholder/);
    expect(validateArgvTemplate(['x', '-m', '?{model}', '?{provider}'])[0]?.message).toMatch(/follows another optional element/);
  });

  it('reports a bad profile at config validation time with its path', () => {
    const r = ProfileSchema.safeParse({ command: ['mytool', '--task', '{taskid}'], output: 'plain' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ path: ['command', 2], message: expect.stringContaining('{taskid}') });
  });

  it('rejects a NUL byte in an argument or the environment (the runner reads NUL-separated fields)', () => {
    const issue = (input: unknown) => ProfileSchema.safeParse(input).error?.issues[0];
    expect(issue({ command: ['x', 'a\0b'] })).toMatchObject({ path: ['command', 1], message: expect.stringContaining('NUL') });
    expect(issue({ command: ['x'], env: { A: 'a\0b' } })).toMatchObject({ path: ['env', 'A'], message: expect.stringContaining('NUL') });
    expect(issue({ command: ['x'], env: { 'A=B': 'c' } })).toMatchObject({ path: ['env', 'A=B'], message: expect.stringContaining('contain =') });
    expect(issue({ command: ['x'], interactive: { command: ['x', '\0'], signals: 'panecrew' } })?.path).toEqual(['interactive', 'command', 1]);
  });

  it('rejects unknown fields, a bad idle pattern and inconsistent prompt_via', () => {
    expect(ProfileSchema.safeParse({ command: ['x'], outptu: 'plain' }).success).toBe(false);
    expect(ProfileSchema.safeParse({ command: ['x'], idle_pattern: '(' }).error?.issues[0]?.path).toEqual(['idle_pattern']);
    expect(ProfileSchema.safeParse({ command: ['x'], prompt_via: 'argv' }).error?.issues[0]?.path).toEqual(['prompt_via']);
    expect(ProfileSchema.safeParse({ command: ['x'], events_from: 'events-file' }).error?.issues[0]?.path).toEqual(['events_from']);
  });

  it('puts resume arguments where resume_at says, checks them in that order, and refuses resume_at without resume', () => {
    const interactive = { command: ['agent', '--flag', '?{model_name}'], signals: 'panecrew' as const, resume: ['resume', '{session_id}'] };
    expect(resumeTemplate(interactive)).toEqual(['agent', '--flag', '?{model_name}', 'resume', '{session_id}']);
    expect(resumeTemplate({ ...interactive, resume_at: 'after_executable' })).toEqual(['agent', 'resume', '{session_id}', '--flag', '?{model_name}']);
    expect(ProfileSchema.safeParse({ command: ['x'], interactive: { ...interactive, resume_at: 'after_executable' } }).success).toBe(true);
    const lone = ProfileSchema.safeParse({ command: ['x'], interactive: { command: ['agent'], signals: 'panecrew', resume_at: 'after_executable' } });
    expect(lone.error?.issues[0]).toMatchObject({ path: ['interactive', 'resume_at'], message: expect.stringContaining('add resume') });
    expect(ProfileSchema.safeParse({ command: ['x'], interactive: { ...interactive, resume_at: 'start' } }).error?.issues[0]?.path).toEqual(['interactive', 'resume_at']);
    // An error names the element where it is written: the resume list's own index.
    const bad = ProfileSchema.safeParse({ command: ['x'], interactive: { ...interactive, resume: ['resume', '{sesion_id}'], resume_at: 'after_executable' } });
    expect(bad.error?.issues[0]).toMatchObject({ path: ['interactive', 'resume', 1], message: expect.stringContaining('{sesion_id}') });
    const badCommand = ProfileSchema.safeParse({ command: ['x'], interactive: { ...interactive, command: ['agent', '{modle}'], resume_at: 'after_executable' } });
    expect(badCommand.error?.issues[0]?.path).toEqual(['interactive', 'command', 1]);
  });

  it('fills defaults and infers how the prompt is given', () => {
    expect(ProfileSchema.parse({ command: ['x', '{prompt}'] })).toEqual({
      command: ['x', '{prompt}'],
      output: 'plain',
      events_from: 'output',
      completion: 'exit',
      retry_exit_codes: [],
      prompt_via: 'argv',
      direct_exec: false,
    });
    expect(ProfileSchema.parse({ command: ['x', '{prompt_file}'] }).prompt_via).toBe('file');
    expect(ProfileSchema.parse({ command: ['x'] }).prompt_via).toBe('stdin');
  });

  it('takes direct_exec only for a command that runs its prompt with bash -c', () => {
    expect(ProfileSchema.parse({ command: ['/usr/bin/bash', '-c', '{prompt}'], direct_exec: true }).direct_exec).toBe(true);
    for (const command of [['sh', '-c', '{prompt}'], ['bash', '{prompt}'], ['bash', '-c', 'echo {prompt}']]) {
      const bad = ProfileSchema.safeParse({ command, direct_exec: true });
      expect(bad.error?.issues[0], command.join(' ')).toMatchObject({ path: ['direct_exec'], message: expect.stringContaining('[bash, -c, "{prompt}", …]') });
    }
  });

  it('fits into the config schema under agents, categories and subagents', () => {
    const config = ConfigSchema.parse({ agents: { mine: { command: ['my-agent', '{prompt}'] } }, categories: { fast: { agent: 'mine' } } });
    expect(config.agents.mine?.prompt_via).toBe('argv');
  });
});

describe('profiles', () => {
  it('are all valid and expand with and without a model', () => {
    for (const [name, profile] of Object.entries(BUILTIN_PROFILES)) {
      expect(ProfileSchema.safeParse(profile).success, name).toBe(true);
      const argv = expandArgv(profile.command, argvVars({ ...task, model: profile.default_model ?? 'prov/some-model' }));
      expect(argv.length, name).toBeGreaterThan(1);
      if (!profile.default_model) expect(() => expandArgv(profile.command, argvVars(task)), name).not.toThrow();
    }
  });

  it('keep the prompt out of the argv, which other users read with ps: all but shell take it from stdin or a file', () => {
    for (const [name, profile] of Object.entries(BUILTIN_PROFILES)) {
      const argv = expandArgv(profile.command, argvVars({ ...task, model: profile.default_model ?? 'prov/some-model' }));
      // shell's prompt is the command line itself, shown by ps like any command's (docs/agents.md).
      const inArgv = argv.some((a) => a.includes(task.prompt));
      expect(inArgv, name).toBe(name === 'shell');
      expect(profile.prompt_via === 'argv', name).toBe(name === 'shell');
    }
  });

  it('give opencode and aider the full provider/model, the others the bare model name', () => {
    const vars = argvVars({ ...task, model: 'openai/gpt-5' });
    expect(expandArgv(BUILTIN_PROFILES.opencode!.command, vars)).toContain('openai/gpt-5');
    expect(expandArgv(BUILTIN_PROFILES.aider!.command, vars)).toContain('openai/gpt-5');
    expect(expandArgv(BUILTIN_PROFILES.codex!.command, vars)).toContain('gpt-5');
    expect(expandArgv(BUILTIN_PROFILES.codex!.command, vars)).not.toContain('openai/gpt-5');
  });

  it('let a user profile with a built-in name replace it entirely', () => {
    const profiles = resolveProfiles({ claude: { command: ['claude', '{prompt}'] }, mine: { command: ['my-agent'], provider: 'local' } });
    expect(profiles.claude).toMatchObject({ command: ['claude', '{prompt}'], output: 'plain' });
    expect(profiles.claude!.provider).toBeUndefined();
    expect(profiles.mine?.prompt_via).toBe('stdin');
    expect(profiles.builtin).toBe(BUILTIN_PROFILES.builtin);
  });

  it('list every bad user profile with its config path', () => {
    try {
      resolveProfiles({ a: { command: ['x', '{nope}'] }, b: { command: [] }, 'Bad Name': { command: ['x'] } });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ProfileConfigError);
      const issues = (err as ProfileConfigError).issues;
      expect(issues).toHaveLength(3);
      expect(issues[0]).toMatch(/^agents\.a\.command\.1: unknown placeholder \{nope\}/);
      expect(issues[1]).toMatch(/^agents\.b\.command: /);
      expect(issues[2]).toMatch(/^agents\.Bad Name: agent names/);
    }
  });
});

describe('installedCheck', () => {
  it('finds an executable on PATH without a shell', async () => {
    const r = await installedCheck({ command: ['bash', '-c', '{prompt}'] });
    expect(r.installed).toBe(true);
    expect(r.path).toMatch(/\/bash$/);
  });

  it('reports a missing executable, and a present file that is not executable as missing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'panecrew-installed-'));
    await writeFile(path.join(dir, 'agent-x'), '#!/bin/sh\n');
    expect(await installedCheck({ command: ['agent-x'] }, { PATH: dir })).toMatchObject({ installed: false });
    await chmod(path.join(dir, 'agent-x'), 0o755);
    expect(await installedCheck({ command: ['agent-x'] }, { PATH: dir })).toMatchObject({ installed: true, path: path.join(dir, 'agent-x') });
    expect(await installedCheck({ command: ['panecrew-no-such-agent-cli'] })).toEqual({ installed: false, executable: 'panecrew-no-such-agent-cli' });
  });

  it('counts the built-in agent as installed: it runs on this Node', async () => {
    expect((await installedCheck(BUILTIN_PROFILES.builtin!)).installed).toBe(true);
  });
});

describe('categories and subagent types', () => {
  it('map the built-in names to an agent and a model', () => {
    expect(named('category', BUILTIN_CATEGORIES, 'quick')).toMatchObject({ agent: 'builtin', model: 'anthropic/claude-haiku-4-5' });
    expect(named('category', BUILTIN_CATEGORIES, 'deep')).toMatchObject({ agent: 'claude', model: 'anthropic/claude-opus-4-5' });
    expect(named('category', BUILTIN_CATEGORIES, 'visual-engineering')).toMatchObject({ agent: 'claude', model: 'anthropic/claude-sonnet-4-5' });
    expect(named('subagent type', BUILTIN_SUBAGENTS, 'oracle')).toMatchObject({ agent: 'claude', model: 'anthropic/claude-opus-4-5' });
    expect(named('subagent type', BUILTIN_SUBAGENTS, 'explore').prompt_prefix).toMatch(/^You are an explorer: map the code relevant to/);
  });

  it('suggest the closest name for a typo', () => {
    expect(() => named('category', BUILTIN_CATEGORIES, 'quik')).toThrow(/unknown category "quik" — did you mean "quick"\?/);
    expect(() => named('subagent type', BUILTIN_SUBAGENTS, 'orcale')).toThrow(UnknownNameError);
    expect(() => named('subagent type', BUILTIN_SUBAGENTS, 'orcale')).toThrow(/did you mean "oracle"/);
    expect(() => named('category', BUILTIN_CATEGORIES, 'zzzzzzzzzz')).toThrow(/^unknown category "zzzzzzzzzz" \(known: quick, deep/);
  });

  it('do not resolve inherited object keys as names', () => {
    expect(() => named('category', BUILTIN_CATEGORIES, 'toString')).toThrow(UnknownNameError);
  });

  it('let user categories add to and replace the built-ins', () => {
    const all = resolveCategories({ quick: { agent: 'opencode', model: 'openai/gpt-5-mini' }, docs: { agent: 'builtin' } });
    expect(named('category', all, 'quick')).toEqual({ agent: 'opencode', model: 'openai/gpt-5-mini' });
    expect(named('category', all, 'docs').agent).toBe('builtin');
    expect(named('category', all, 'deep')).toBe(BUILTIN_CATEGORIES.deep);
    expect(() => resolveCategories({ bad: { agent: 'x', modle: 'y' } })).toThrow(/categories\.bad/);
  });

  it('point every built-in at a built-in profile, and flag one that does not', () => {
    const names = Object.keys(BUILTIN_PROFILES);
    expect(checkCategoryAgents('categories', { ...BUILTIN_CATEGORIES }, names)).toEqual([]);
    expect(checkCategoryAgents('categories', { x: { agent: 'claud' } }, names)).toEqual([
      expect.stringMatching(/^categories\.x\.agent: unknown agent "claud" — did you mean "claude"\?/),
    ]);
  });

  it('put the prompt prefix before the prompt', () => {
    expect(applyPromptPrefix({ prompt_prefix: 'Be brief.' }, 'Why?')).toBe('Be brief.\n\nWhy?');
    expect(applyPromptPrefix(undefined, 'Why?')).toBe('Why?');
  });
});
