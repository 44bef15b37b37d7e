// duckdb_common.mjs: what the DuckDB sides of the benchmarks share (duckdb_jobs.mjs for
// run_vs_duckdb.sh, tpch_duckdb.mjs for run_tpch.sh): their common options, opening
// DuckDB from the folder the scripts installed it into, reading the generated CSV files,
// and TPC-H's table schemas (tpch/tables.txt).

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join as joinPath, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
export const tpchDir = joinPath(benchDir, 'tpch');

export const commonUsage = '--modules <dir> --threads <n> [--memory-gib <g>]';

// Takes the leading `--modules <dir> --threads <n> [--memory-gib <g>]` off `args`;
// calls usage(message) (which must not return) on a missing or bad one.
export function parseOptions(args, usage) {
  const options = { modulesDir: null, threads: null, memoryGib: null };
  while (args.length > 0 && args[0].startsWith('--')) {
    const option = args.shift();
    const value = args.shift();
    if (value === undefined) usage(`${option} needs a value`);
    if (option === '--modules') options.modulesDir = value;
    else if (option === '--threads') options.threads = value;
    else if (option === '--memory-gib') options.memoryGib = value;
    else usage(`unknown option ${option}`);
  }
  if (options.modulesDir === null || options.threads === null)
    usage('--modules and --threads are required');
  for (const [name, value] of [['--threads', options.threads], ['--memory-gib', options.memoryGib]])
    if (value !== null && !/^[1-9][0-9]*$/.test(value))
      usage(`${name} wants a positive integer, not '${value}'`);
  return options;
}

// An in-memory database and a connection with the given threads and memory limit.
// <modulesDir> is the folder into which `npm install --prefix <dir> @duckdb/node-api`
// installed DuckDB.
export async function openDuckDB({ modulesDir, threads, memoryGib }, program) {
  const require = createRequire(joinPath(resolve(modulesDir), 'package.json'));
  let duckdb;
  try {
    duckdb = require('@duckdb/node-api');
  } catch (error) {
    console.error(`${program}: cannot load @duckdb/node-api from ${modulesDir}: ${error.message}`);
    process.exit(1);
  }
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`SET threads = ${threads}`);
  if (memoryGib !== null) await connection.run(`SET memory_limit = '${memoryGib}GiB'`);
  return { duckdb, instance, connection };
}

export function closeDuckDB({ instance, connection }) {
  connection.closeSync?.();
  instance.closeSync?.();
}

// A literal for a path inside SQL.
export const sqlPath = (path) => `'${resolve(path).replaceAll("'", "''")}'`;

// Reads a file as CSV with the given [name, type] columns, with no quoting, escaping
// or type sniffing: the files are plain, and every engine must see exactly the same
// fields.
export function readCsv(path, columns, { delim, header = false, extra = '' }) {
  const cols = columns.map(([name, type]) => `'${name}': '${type}'`).join(', ');
  return (
    `read_csv(${sqlPath(path)}, columns = {${cols}}, delim = '${delim}', header = ${header}, ` +
    `quote = '', escape = '', new_line = '\\n', auto_detect = false${extra})`
  );
}

// TPC-H's tables: name -> { ddl: 'r_regionkey BIGINT, ...', columns: [[name, type], ...] }.
export function tpchTables() {
  const tables = new Map();
  for (const line of readFileSync(joinPath(tpchDir, 'tables.txt'), 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.indexOf(' ');
    const ddl = line.slice(space + 1);
    const columns = [...ddl.matchAll(/(\w+) (\w+(?:\(\d+,\d+\))?)/g)].map((m) => [m[1], m[2]]);
    tables.set(line.slice(0, space), { ddl, columns });
  }
  return tables;
}

// A table as gen_tpch writes it: `|`-separated with a header line.
export const tpchCsv = (path, table) =>
  readCsv(path, tpchTables().get(table).columns, { delim: '|', header: true });

// The text of TPC-H query `name` (q01 ... q22).
export const tpchQuery = (name) => readFileSync(joinPath(tpchDir, `${name}.sql`), 'utf8');

export const peakRssMib = () => process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
