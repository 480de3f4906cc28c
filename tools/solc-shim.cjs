#!/usr/bin/env node
// A native-`solc`-compatible command line in front of the npm `solc` package (solc-js).
//
// py-solc-x and brownie look for installed compilers as executables named `solc-vX.Y.Z` in
// ~/.solcx (or $SOLCX_BINARY_PATH) and talk to them with the native command line. This machine has
// no native solc, so tools/setup links this file there. It answers what those tools ask:
//   --version                     version banner with the `+commit.` suffix py-solc-x parses
//   --help                        usage text including the `--combined-json` line py-solc-x parses
//   --standard-json [file|-]      standard JSON in (stdin or file), standard JSON out
//   --allow-paths/--base-path/--include-path P   where imports are read from
// Anything else is refused with `unrecognised option`, the native wording py-solc-x maps to
// UnknownOption. With SOLC_SHIM_TIMING_FILE set, each --standard-json run appends one JSON line
// there: the milliseconds spent loading solc-js and compiling (tools/time_toolchain.py reads it). Output is written without process.exit(): exiting right after a write to a
// pipe truncates output past 64 KiB.
'use strict';

const fs = require('fs');
const path = require('path');

function loadSolc() {
  const here = path.dirname(fs.realpathSync(__filename));
  const candidates = [path.join(here, '..', 'node_modules', 'solc'), path.join(process.cwd(), 'node_modules', 'solc')];
  for (const candidate of candidates) {
    if (fs.existsSync(path.join(candidate, 'package.json'))) return require(candidate);
  }
  throw new Error('solc-js not found: run `npm ci` in the project root');
}

function fail(message) {
  process.stderr.write(message + '\n');
  process.exitCode = 1;
}

function readAll(source) {
  return source === '-' || source === undefined ? fs.readFileSync(0, 'utf8') : fs.readFileSync(source, 'utf8');
}

function importResolver(roots) {
  return (importPath) => {
    const tried = [];
    for (const root of roots) {
      const candidate = path.resolve(root, importPath);
      tried.push(candidate);
      if (fs.existsSync(candidate)) return { contents: fs.readFileSync(candidate, 'utf8') };
    }
    return { error: `File not found: ${importPath} (looked in ${tried.join(', ')})` };
  };
}

// solc-js copies its whole input into the compiler's memory at a fixed size: an input past about
// 1.2 MB fails with "memory access out of bounds" (forge sends every source's text inline; its
// unit tier passed that size). Inline sources are therefore handed over by name and their text
// given back through the import callback, which has no such limit; the compiler sees the same
// sources under the same names, so its output is the same. Input that is no JSON goes unchanged,
// for solc to answer with its own error.
function sourcesByName(input) {
  const inline = new Map();
  let parsed;
  try {
    parsed = JSON.parse(input);
  } catch {
    return { input, inline };
  }
  for (const [name, source] of Object.entries((parsed && parsed.sources) || {})) {
    if (source && typeof source.content === 'string') {
      inline.set(name, source.content);
      const { content, ...rest } = source;
      parsed.sources[name] = { ...rest, urls: [name] };
    }
  }
  return { input: JSON.stringify(parsed), inline };
}

function main(argv) {
  const options = { roots: [process.cwd()] };
  let mode = null;
  let inputFile;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--version' || arg === '--help' || arg === '--standard-json') {
      mode = arg;
    } else if (arg === '--allow-paths' || arg === '--base-path' || arg === '--include-path') {
      const value = argv[++i] || '';
      for (const root of value.split(',')) if (root) options.roots.push(path.resolve(root));
    } else if (mode === '--standard-json' && !arg.startsWith('--')) {
      inputFile = arg;
    } else {
      return fail(`unrecognised option '${arg}'`);
    }
  }

  const started = Date.now();
  const solc = loadSolc();
  const loaded = Date.now();
  const version = solc.version().replace('.Emscripten.clang', '.Linux.g++');
  if (mode === '--version') {
    process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${version}\n`);
  } else if (mode === '--help') {
    process.stdout.write(
      `solc, the solidity compiler commandline interface (solc-js ${version})\n\n` +
        'Usage: solc --standard-json [input_file]\n\n' +
        '  --version            Print version and exit.\n' +
        '  --standard-json      Switch to Standard JSON input / output mode.\n' +
        '  --combined-json abi,bin,bin-runtime  Not supported by this shim.\n',
    );
  } else if (mode === '--standard-json') {
    const { input, inline } = sourcesByName(readAll(inputFile));
    const fromDisk = importResolver(options.roots);
    const resolve = (name) => (inline.has(name) ? { contents: inline.get(name) } : fromDisk(name));
    const output = solc.compile(input, { import: resolve });
    if (process.env.SOLC_SHIM_TIMING_FILE) {
      const timing = { loadMs: loaded - started, compileMs: Date.now() - loaded };
      fs.appendFileSync(process.env.SOLC_SHIM_TIMING_FILE, JSON.stringify(timing) + '\n');
    }
    process.stdout.write(output + '\n');
  } else {
    fail('usage: solc --version | --help | --standard-json [file]');
  }
}

try {
  main(process.argv.slice(2));
} catch (error) {
  fail(String((error && error.message) || error || ''));
}
