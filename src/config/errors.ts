// The configuration's errors, apart from the code that throws them, so the CLI can tell them from
// other failures without loading the YAML parser and the schema.

/** A config file that cannot be read or parsed (with file:line:column). */
export class ConfigFileError extends Error {}

/** A configuration that parses but is invalid: one line per problem, each with where and what. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}
