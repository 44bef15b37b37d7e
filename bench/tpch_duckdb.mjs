// tpch_duckdb.mjs: the DuckDB side of run_tpch.sh. Loads TPC-H's eight tables from
// gen_tpch's files into an in-memory database, runs the requested queries of
// bench/tpch/ one after the other, and writes each answer in the canonical text form
// below, so that another engine's answers compare with cmp.
//
//   node bench/tpch_duckdb.mjs --modules <dir> --threads <n> [--memory-gib <g>] \
//       <data-dir> <answer-dir> <query>...        (queries: q01 ... q22)
//
// The tables are created with the types of bench/tpch/tables.txt (DECIMAL(15,2) money,
// DATE, BIGINT keys, VARCHAR) and filled from <data-dir>/<table>.csv. Prints
//   duckdb load seconds=<s> rows=<rows of all tables>
//   duckdb query=<q> seconds=<s> rows=<answer rows>     (one line per query)
//   duckdb peak_rss_mib=<m>
// Each time covers running the query and fetching its rows, not writing the answer.
//
// The canonical answer, <answer-dir>/<q>.txt: one line per row in the query's order,
// each ending in a newline (no rows, an empty file); fields separated by `|`; NULL as
// `NULL`; integers as their digits; decimals and floating-point numbers rounded to two
// digits after the point, half away from zero (an exact decimal rounded exactly, a
// double from its exact binary value), `0.00` rather than `-0.00`; dates YYYY-MM-DD;
// strings as they are; no header.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { performance } from 'node:perf_hooks';

import {
  closeDuckDB,
  commonUsage,
  openDuckDB,
  parseOptions,
  peakRssMib,
  sqlPath,
  tpchQuery,
  tpchTables,
} from './duckdb_common.mjs';

function usage(message) {
  if (message) console.error(`tpch_duckdb: ${message}`);
  console.error(
    `usage: node bench/tpch_duckdb.mjs ${commonUsage} <data-dir> <answer-dir> <query>...\n` +
      '  queries: q01 ... q22',
  );
  process.exit(2);
}

const args = process.argv.slice(2);
const options = parseOptions(args, usage);
const [dataDir, answerDir, ...queries] = args;
if (answerDir === undefined || queries.length === 0) usage('too few arguments');
for (const q of queries) if (!/^q(0[1-9]|1[0-9]|2[0-2])$/.test(q)) usage(`unknown query '${q}'`);

// ---- the canonical form ----

// A decimal of `scale` digits after the point (value / 10^scale), rounded to two.
function decimalText(value, scale) {
  const negative = value < 0n;
  let magnitude = negative ? -value : value;
  if (scale <= 2) {
    magnitude *= 10n ** BigInt(2 - scale);
  } else {
    const unit = 10n ** BigInt(scale - 2);
    magnitude = (magnitude + unit / 2n) / unit; // half away from zero
  }
  const digits = magnitude.toString().padStart(3, '0');
  const sign = negative && magnitude !== 0n ? '-' : '';
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

// A double rounded to two digits: toFixed rounds from the exact binary value, ties up
// in magnitude.
function doubleText(value) {
  const text = Math.abs(value).toFixed(2);
  return value < 0 && text !== '0.00' ? `-${text}` : text;
}

// One field of the canonical form, by the column's type.
function fieldText(value, typeId, types) {
  if (value === null) return 'NULL';
  switch (typeId) {
    case types.DECIMAL:
      return decimalText(value.value, value.scale);
    case types.FLOAT:
    case types.DOUBLE:
      return doubleText(value);
    default:
      return String(value); // integers (number or bigint), dates, strings
  }
}

function canonical(reader, types) {
  const typeIds = reader.columnTypes().map((t) => t.typeId);
  return reader
    .getRows()
    .map((row) => row.map((v, i) => fieldText(v, typeIds[i], types)).join('|') + '\n')
    .join('');
}

// ---- run ----

const db = await openDuckDB(options, 'tpch_duckdb');
const { connection, duckdb } = db;

let start = performance.now();
let rows = 0n;
for (const [table, { ddl }] of tpchTables()) {
  await connection.run(`CREATE TABLE ${table} (${ddl})`);
  await connection.run(
    `COPY ${table} FROM ${sqlPath(joinPath(dataDir, `${table}.csv`))} ` +
      `(DELIMITER '|', HEADER true, QUOTE '', ESCAPE '', AUTO_DETECT false)`,
  );
  const count = await connection.runAndReadAll(`SELECT count(*) FROM ${table}`);
  rows += BigInt(count.getRows()[0][0]);
}
console.log(`duckdb load seconds=${((performance.now() - start) / 1000).toFixed(3)} rows=${rows}`);

mkdirSync(answerDir, { recursive: true });
for (const q of queries) {
  const sql = tpchQuery(q);
  start = performance.now();
  const reader = await connection.runAndReadAll(sql);
  const seconds = (performance.now() - start) / 1000;
  const text = canonical(reader, duckdb.DuckDBTypeId);
  writeFileSync(joinPath(answerDir, `${q}.txt`), text);
  console.log(`duckdb query=${q} seconds=${seconds.toFixed(4)} rows=${reader.currentRowCount}`);
}
console.log(`duckdb peak_rss_mib=${peakRssMib().toFixed(1)}`);
closeDuckDB(db);
