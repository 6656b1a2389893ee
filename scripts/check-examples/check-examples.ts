/**
 * Installs this checkout as a user would and runs what the docs show: packs every package
 * (`pnpm pack`), installs the tarballs with **npm** into a fresh project, then type-checks and
 * runs each `examples/*` project (offline, with its labelled stand-in) and every README code
 * block (against a local stand-in of OpenAI's API, see `stand-in-openai-server.ts`). It fails
 * when anything fails, when an example imports a package its package.json does not list, or when
 * a README snippet imports a package its README never tells users to install.
 *
 *   npx tsx scripts/check-examples/check-examples.ts [--keep | --reuse DIR] [--only examples|snippets]
 *                                                    [--ai 6|7]
 *
 * `--ai 6` or `--ai 7` checks the AI SDK examples alone (those that depend on `ai`) against that
 * release, installed as npm picks it for a user who names it: `.ci/run` runs `--ai 6` on Node 20 and
 * `--ai 7` on Node 22, the pairs the adapters support.
 *
 * Needs `pnpm build` first. One npm install and one compiler run serve every example and snippet.
 * better-sqlite3's native addon is not compiled again: the install runs without scripts and the
 * addon built by the workspace install (same version, same Node) is copied in.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractSnippets, importedPackages, installedPackages, type Snippet } from './extract-snippets';
import { startStandInOpenAi } from './stand-in-openai-server';

type PackageJson = {
  name: string;
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};
type Failure = { what: string; detail: string };

const root = join(import.meta.dirname, '..', '..');
const RUN_TIMEOUT_MS = 120_000;
/** Dev tools every example lists; the snippets are checked with them too. */
const TOOLS = { typescript: '^5.9.0', tsx: '^4.23.0', '@types/node': '^20.19.0' };
/** `--ai`: the `ai` release and the OpenAI provider built for it. */
const AI_RELEASES: Record<string, Record<string, string>> = {
  '6': { ai: '^6.0.0', '@ai-sdk/openai': '^3.0.0' },
  '7': { ai: '^7.0.0', '@ai-sdk/openai': '^4.0.0' },
};

async function main(): Promise<number> {
  const option = (name: string) =>
    process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
  const only = option('--only');
  // --reuse DIR: a folder kept by an earlier --keep run, already installed (for editing snippets).
  const reuse = option('--reuse');
  const keep = process.argv.includes('--keep') || reuse !== undefined;
  const aiRelease = option('--ai');
  if (aiRelease !== undefined && !(aiRelease in AI_RELEASES))
    throw new Error(`--ai takes 6 or 7, not ${aiRelease}`);
  const work = reuse ?? mkdtempSync(join(tmpdir(), 'tokenomics-check-'));
  console.log(`check-examples on Node ${process.version}${aiRelease ? `, ai ${aiRelease}` : ''}`);
  const failures: Failure[] = [];
  try {
    const workspace = workspacePackages();
    const examples =
      only === 'snippets'
        ? []
        : exampleProjects().filter((example) => aiRelease === undefined || example.json.dependencies?.ai);
    const readmes = only === 'examples' || aiRelease !== undefined ? [] : readmeSnippets();
    const app = join(work, 'app');
    if (!reuse) {
      const tarballs = packTarballs(workspace, join(work, 'tarballs'));
      const dependencies = appDependencies(examples, readmes, workspace, tarballs);
      installApp(
        app,
        aiRelease === undefined ? dependencies : { ...dependencies, ...AI_RELEASES[aiRelease] },
      );
    }
    failures.push(...checkImports(examples, readmes));
    const snippets = readmes.flatMap((entry) => entry.snippets);
    const folders = writePrograms(app, examples, snippets);
    failures.push(...(await typecheckPrograms(app, examples.length + snippets.length)));
    failures.push(...(await runExamples(app, examples)));
    failures.push(...(await runSnippets(app, snippets, folders)));
  } finally {
    if (keep) console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  for (const failure of failures) console.error(`FAIL ${failure.what}\n${indent(failure.detail)}`);
  console.log(
    failures.length === 0 ? 'check-examples: all passed' : `check-examples: ${failures.length} failed`,
  );
  return failures.length === 0 ? 0 : 1;
}

/** Name → package.json of every workspace package. */
function workspacePackages(): Map<string, PackageJson> {
  const packages = new Map<string, PackageJson>();
  for (const folder of readdirSync(join(root, 'packages'))) {
    const file = join(root, 'packages', folder, 'package.json');
    if (!existsSync(file)) continue;
    const json = JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
    packages.set(json.name, json);
  }
  return packages;
}

function packTarballs(workspace: Map<string, PackageJson>, destination: string): Map<string, string> {
  execFileSync('pnpm', ['--filter', './packages/*', 'pack', '--pack-destination', destination], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarballs = new Map<string, string>();
  for (const [name, json] of workspace) {
    const file = join(destination, `${name.replace('@', '').replace('/', '-')}-${json.version}.tgz`);
    if (!existsSync(file)) throw new Error(`pnpm pack wrote no ${file}`);
    tarballs.set(name, file);
  }
  return tarballs;
}

type Example = { name: string; folder: string; json: PackageJson };

function exampleProjects(): Example[] {
  const folder = join(root, 'examples');
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(folder, entry.name, 'package.json')))
    .map((entry) => ({
      name: entry.name,
      folder: join(folder, entry.name),
      json: JSON.parse(readFileSync(join(folder, entry.name, 'package.json'), 'utf8')) as PackageJson,
    }));
}

type ReadmeSnippets = { readme: string; installs: string[]; snippets: Snippet[] };

function readmeSnippets(): ReadmeSnippets[] {
  const files = [
    'README.md',
    ...readdirSync(join(root, 'packages')).map((folder) => join('packages', folder, 'README.md')),
  ];
  return files
    .filter((file) => existsSync(join(root, file)))
    .map((readme) => {
      const markdown = readFileSync(join(root, readme), 'utf8');
      return { readme, installs: installedPackages(markdown), snippets: extractSnippets(markdown, readme) };
    });
}

/**
 * One project for everything: each example's dependencies, each package a README installs, the
 * workspace packages as tarballs (their own `@tokenomics/*` dependencies too, which a registry
 * install would fetch) and the type-checking tools.
 */
function appDependencies(
  examples: Example[],
  readmes: ReadmeSnippets[],
  workspace: Map<string, PackageJson>,
  tarballs: Map<string, string>,
): Record<string, string> {
  const dependencies: Record<string, string> = { ...TOOLS };
  const knownRanges = workspaceRanges(workspace);
  for (const example of examples)
    Object.assign(dependencies, example.json.dependencies, example.json.devDependencies);
  for (const { installs } of readmes)
    for (const name of installs) dependencies[name] ??= knownRanges.get(name) ?? 'latest';
  for (const [name, file] of tarballs) if (name !== '@tokenomics/cli') dependencies[name] = `file:${file}`;
  return dependencies;
}

/** The version each third-party package has in the workspace, so the check tests what CI tests. */
function workspaceRanges(workspace: Map<string, PackageJson>): Map<string, string> {
  const ranges = new Map<string, string>();
  for (const json of workspace.values())
    for (const [name, range] of Object.entries({ ...json.dependencies, ...json.devDependencies }))
      if (!range.startsWith('workspace:')) ranges.set(name, range);
  return ranges;
}

function installApp(app: string, dependencies: Record<string, string>): void {
  mkdirSync(app, { recursive: true });
  const json = { name: 'tokenomics-check-examples', private: true, type: 'module', dependencies };
  writeFileSync(join(app, 'package.json'), `${JSON.stringify(json, null, 2)}\n`);
  console.log(`npm install: ${Object.keys(dependencies).length} packages into ${app}`);
  const started = Date.now();
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--loglevel=error'],
    {
      cwd: app,
      stdio: 'inherit',
    },
  );
  copyBetterSqliteAddon(app);
  console.log(`npm install: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** The workspace's compiled better-sqlite3 addon, when the app has the same version. */
function copyBetterSqliteAddon(app: string): void {
  const installed = join(app, 'node_modules', 'better-sqlite3');
  if (!existsSync(installed)) return;
  const { version } = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as PackageJson;
  const built = join(
    root,
    'node_modules',
    '.pnpm',
    `better-sqlite3@${version}`,
    'node_modules',
    'better-sqlite3',
    'build',
  );
  if (!existsSync(built)) throw new Error(`no compiled better-sqlite3 ${version} in the workspace to copy`);
  cpSync(built, join(installed, 'build'), { recursive: true });
}

/** Every package a program imports must be one its project (or README) says to install. */
function checkImports(examples: Example[], readmes: ReadmeSnippets[]): Failure[] {
  const failures: Failure[] = [];
  for (const example of examples) {
    const listed = new Set(Object.keys({ ...example.json.dependencies, ...example.json.devDependencies }));
    for (const file of readdirSync(example.folder).filter((name) => name.endsWith('.ts'))) {
      const missing = importedPackages(readFileSync(join(example.folder, file), 'utf8')).filter(
        (name) => !listed.has(name),
      );
      if (missing.length)
        failures.push({
          what: `examples/${example.name}/${file}`,
          detail: `imports ${missing.join(', ')}, not in its package.json`,
        });
    }
  }
  for (const { readme, installs, snippets } of readmes) {
    const listed = new Set(installs);
    for (const snippet of snippets) {
      const missing = importedPackages(snippet.code).filter((name) => !listed.has(name));
      if (missing.length)
        failures.push({
          what: `${readme}:${snippet.line}`,
          detail: `imports ${missing.join(', ')}, which ${readme} never says to install`,
        });
    }
  }
  return failures;
}

/** Copies each example and writes each snippet as a program of its own; returns the snippets' folders. */
function writePrograms(app: string, examples: Example[], snippets: Snippet[]): string[] {
  for (const example of examples)
    cpSync(example.folder, join(app, 'examples', example.name), {
      recursive: true,
      filter: (source) => !source.includes('node_modules'),
    });
  return snippets.map((snippet) => {
    const folder = join(app, 'snippets', `${snippet.readme.replace(/[/.]/g, '-')}-${snippet.line}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'index.ts'), `${snippet.code}\nexport {};\n`);
    return folder;
  });
}

/** One compiler run over every example and snippet, with the options the examples' tsconfig has. */
async function typecheckPrograms(app: string, count: number): Promise<Failure[]> {
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(PROGRAMS_TSCONFIG, null, 2));
  const result = await runProgram([join(app, 'node_modules', '.bin', 'tsc'), '-p', '.'], app, process.env);
  console.log(
    `${result.ok ? 'ok  ' : 'FAIL'} typecheck: ${count} examples and snippets (${result.seconds} s)`,
  );
  return result.ok ? [] : [{ what: 'typecheck', detail: result.output.replaceAll(`${app}/`, '') }];
}

async function runExamples(app: string, examples: Example[]): Promise<Failure[]> {
  const env = { ...process.env };
  delete env.OPENAI_API_KEY; // CI checks the offline path; with a key the examples call OpenAI
  const failures: Failure[] = [];
  for (const example of examples) {
    const tsx = join(app, 'node_modules', '.bin', 'tsx');
    const result = await runProgram([tsx, 'index.ts'], join(app, 'examples', example.name), env);
    console.log(`${result.ok ? 'ok  ' : 'FAIL'} examples/${example.name} (${result.seconds} s)`);
    if (!result.ok) failures.push({ what: `examples/${example.name}`, detail: result.output });
  }
  return failures;
}

/** Runs each snippet against the stand-in OpenAI server, counting the model calls it makes. */
async function runSnippets(app: string, snippets: Snippet[], folders: string[]): Promise<Failure[]> {
  const failures: Failure[] = [];
  const standIn = await startStandInOpenAi();
  try {
    for (const [index, snippet] of snippets.entries()) {
      const where = `${snippet.readme}:${snippet.line}`;
      if (!snippet.run) {
        console.log(`skip ${where}: ${snippet.reason} (type-checked only)`);
        continue;
      }
      standIn.resetCalls();
      const env = { ...process.env, OPENAI_API_KEY: 'stand-in', OPENAI_BASE_URL: standIn.url };
      const result = await runProgram(
        [join(app, 'node_modules', '.bin', 'tsx'), 'index.ts'],
        folders[index]!,
        env,
      );
      const calls = standIn.calls();
      const callsOk = snippet.expectedModelCalls === undefined || calls === snippet.expectedModelCalls;
      console.log(
        `${result.ok && callsOk ? 'ok  ' : 'FAIL'} ${where}, ${calls} model call(s) (${result.seconds} s)`,
      );
      if (!result.ok) failures.push({ what: where, detail: result.output });
      else if (!callsOk)
        failures.push({
          what: where,
          detail: `reached the model ${calls} times; the README says ${snippet.expectedModelCalls}`,
        });
    }
  } finally {
    await standIn.close();
  }
  return failures;
}

const PROGRAMS_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    allowImportingTsExtensions: true,
    types: ['node'],
  },
  include: ['examples/*/*.ts', 'snippets/*/index.ts'],
};

/**
 * Runs a program without blocking this process: the snippets call the stand-in server that
 * this process serves, so a blocking spawn would deadlock. Killed (process group) after the timeout.
 */
function runProgram(command: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), { cwd, env, detached: true });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      output += `\n(killed after ${RUN_TIMEOUT_MS / 1000} s)`;
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, RUN_TIMEOUT_MS);
    const finish = (ok: boolean, extra = '') => {
      clearTimeout(timer);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      resolve({ ok, output: `${output}${extra}`.trim(), seconds });
    };
    child.on('error', (error) => finish(false, `\n${String(error)}`));
    child.on('close', (code) => finish(code === 0));
  });
}

type RunResult = { ok: boolean; output: string; seconds: string };

function indent(text: string): string {
  return text
    .split('\n')
    .slice(0, 40)
    .map((line) => `    ${line}`)
    .join('\n');
}

process.exitCode = await main();
