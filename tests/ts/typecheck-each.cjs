// Type-checks each SDK file on its own (each augments the same interface, so two in one program
// would clash), against the stub of `@barekey/sdk`, in one Node process:
//   node typecheck-each.cjs TYPESCRIPT_DIR STUB FILE...
// Prints one JSON object: each file's diagnostics as `line:column message` strings (none when
// it type-checks). The options are tests/testsuite/typescript.rs's strict ones.
"use strict";
const path = require("node:path");
const ts = require(path.resolve(process.argv[2], "node_modules/typescript"));

const [, , , stub, ...files] = process.argv;
const options = {
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitReturns: true,
  target: ts.ScriptTarget.ES2020,
  lib: ["lib.es2020.d.ts"],
  module: ts.ModuleKind.CommonJS,
  types: [],
  noEmit: true,
};
// One host for every program, caching parsed files: the standard library is parsed once.
const host = ts.createCompilerHost(options);
const cache = new Map();
const getSourceFile = host.getSourceFile.bind(host);
host.getSourceFile = (name, language) => {
  if (!cache.has(name)) cache.set(name, getSourceFile(name, language));
  return cache.get(name);
};

const results = {};
for (const file of files) {
  const program = ts.createProgram([file, stub], options, host);
  results[file] = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
    if (!diagnostic.file) return message;
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${path.basename(diagnostic.file.fileName)}:${line + 1}:${character + 1} ${message}`;
  });
}
process.stdout.write(JSON.stringify(results));
