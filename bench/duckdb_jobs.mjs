// duckdb_jobs.mjs: the DuckDB side of run_vs_duckdb.sh. Runs one job of the table
// benchmarks as one SQL statement over the same files the ember programs read.
//
//   node bench/duckdb_jobs.mjs --modules <dir> --threads <n> [--memory-gib <g>] <job> <files...>
//
//   wordcount <text>                           distinct=<d> total=<t>
//   groupby   <in.csv>                         groups=<g> total=<sum> checksum=<c>
//   join      <orders.csv> <customers.csv> <result.csv>
//                                              countries=<c> total=<sum>; writes `country,sum`
//                                              lines sorted by country to <result.csv>
//   sort      <in.txt> <out.txt>               writes the records sorted by key to <out.txt>
//   q1        <lineitem.csv> <result.csv>      TPC-H Q1; writes its rows to <result.csv>
//   q6        <lineitem.csv>                   TPC-H Q6: revenue=<r>
//
// q1 and q6 run bench/tpch/q01.sql and q06.sql over a view of gen_tpch's lineitem.csv.
//
// <dir> is the folder into which `npm install --prefix <dir> @duckdb/node-api` installed
// DuckDB. The database is in memory and every job reads its CSV files afresh, as the
// ember programs do. Only the statement is timed (not starting DuckDB nor `SET threads`,
// as the ember programs leave out starting their Context). Prints one line:
//   duckdb seconds=<s> bytes=<input bytes> <job's fields> peak_rss_mib=<m>

import { statSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

import {
  closeDuckDB,
  commonUsage,
  openDuckDB,
  parseOptions,
  peakRssMib,
  readCsv,
  sqlPath,
  tpchCsv,
  tpchQuery,
} from './duckdb_common.mjs';

function usage(message) {
  if (message) console.error(`duckdb_jobs: ${message}`);
  console.error(
    `usage: node bench/duckdb_jobs.mjs ${commonUsage} <job> <files...>\n` +
      '  jobs: wordcount <text> | groupby <in.csv> |\n' +
      '        join <orders.csv> <customers.csv> <result.csv> | sort <in.txt> <out.txt> |\n' +
      '        q1 <lineitem.csv> <result.csv> | q6 <lineitem.csv>',
  );
  process.exit(2);
}

// ---- command line ----
const args = process.argv.slice(2);
const options = parseOptions(args, usage);
const [job, ...files] = args;
const arity = { wordcount: 1, groupby: 1, join: 3, sort: 2, q1: 2, q6: 1 };
if (!(job in arity)) usage(`unknown job '${job ?? ''}'`);
if (files.length !== arity[job]) usage(`${job} takes ${arity[job]} file(s)`);

// ---- SQL ----
// A CSV file with [name, type] columns.
const csv = (path, columns, delim, extra = '') => readCsv(path, columns, { delim, extra });

// Lines of text as one VARCHAR column: the delimiter is a control character that
// generated text never holds, so a line is never cut into fields. Not strict, or a
// carriage return inside a line stops the parser (ember keeps it, as whitespace).
const lines = (path) => csv(path, [['line', 'VARCHAR']], '\x01', ', strict_mode = false');

// TPC-H's lineitem as gen_tpch writes it, as the view its queries read.
const lineitemView = (path) => `CREATE VIEW lineitem AS SELECT * FROM ${tpchCsv(path, 'lineitem')}`;

const jobs = {
  // Words are the maximal runs of characters other than ASCII whitespace (space, \t, \n,
  // \v, \f, \r): what ember::splitWords and word_count_plain find. A line holds no \n;
  // its other whitespace becomes spaces, then string_split cuts at every space, giving
  // an empty string for each extra space (not words, so dropped). This is twice as fast
  // as regexp_split_to_array(line, '[ \t\n\v\f\r]+') and finds the same words.
  wordcount: ([text]) => ({
    sql:
      `SELECT count(*) AS distinct_words, coalesce(sum(n), 0) AS total FROM (` +
      `SELECT word, count(*) AS n FROM (` +
      `SELECT unnest(string_split(regexp_replace(line, '[\\t\\v\\f\\r]', ' ', 'g'), ' ')) AS word ` +
      `FROM ${lines(text)}) WHERE word <> '' GROUP BY word)`,
    report: ([row]) => `distinct=${row[0]} total=${row[1]}`,
  }),
  // checksum: the sum over groups of groupChecksum(key, sum), as in check_results.cpp.
  groupby: ([input]) => ({
    sql:
      `SELECT count(*) AS groups, coalesce(sum(s), 0) AS total, ` +
      `coalesce(sum((key * 2654435761 + s * 40503 + 12345) % 1000000007), 0) AS checksum ` +
      `FROM (SELECT key, sum(value) AS s FROM ` +
      `${csv(input, [['key', 'BIGINT'], ['value', 'BIGINT']], ',')} GROUP BY key)`,
    report: ([row]) => `groups=${row[0]} total=${row[1]} checksum=${row[2]}`,
  }),
  join: ([orders, customers, result]) => ({
    sql:
      `SELECT c.country, sum(o.amount) AS total ` +
      `FROM ${csv(orders, [['order_id', 'BIGINT'], ['customer_id', 'BIGINT'], ['amount', 'BIGINT']],
        ',')} o ` +
      `JOIN ${csv(customers, [['customer_id', 'BIGINT'], ['country', 'VARCHAR']], ',')} c ` +
      `ON o.customer_id = c.customer_id GROUP BY c.country`,
    report: (rows) => {
      // Byte order, as the ember program and check_results sort (countries are ASCII).
      rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      writeFileSync(result, rows.map(([country, sum]) => `${country},${sum}\n`).join(''));
      const total = rows.reduce((acc, row) => acc + BigInt(row[1]), 0n);
      return `countries=${rows.length} total=${total}`;
    },
  }),
  // TPC-H's own query texts, over a view of the file (read afresh, as above).
  q1: ([input, result]) => ({
    setup: lineitemView(input),
    sql: tpchQuery('q01'),
    report: (rows) => {
      writeFileSync(result, rows.map((row) => row.join(',') + '\n').join(''));
      return `groups=${rows.length}`;
    },
  }),
  q6: ([input]) => ({
    setup: lineitemView(input),
    sql: tpchQuery('q06'),
    report: ([row]) => `revenue=${row[0]}`,
  }),
  // Writing the sorted records is part of the job, as in sort_ember. The records have
  // no space besides the one after the key, so splitting on it and joining the two
  // columns with a space again rewrites every record unchanged.
  sort: ([input, output]) => ({
    sql:
      `COPY (SELECT key, payload FROM ` +
      `${csv(input, [['key', 'VARCHAR'], ['payload', 'VARCHAR']], ' ')} ORDER BY key) ` +
      `TO ${sqlPath(output)} (FORMAT csv, HEADER false, DELIMITER ' ', QUOTE '')`,
    report: () => '',
  }),
};

// ---- run ----
const inputs = job === 'join' ? files.slice(0, 2) : files.slice(0, 1);
const bytes = inputs.reduce((acc, path) => acc + statSync(path).size, 0);
const { setup, sql, report } = jobs[job](files);

const db = await openDuckDB(options, 'duckdb_jobs');
const { connection } = db;
if (setup) await connection.run(setup);

const start = performance.now();
const reader = await connection.runAndReadAll(sql);
const seconds = (performance.now() - start) / 1000;

// Values as strings: sums are BIGINT or HUGEINT, which arrive as JS bigints.
const rows = reader.getRowsJS().map((row) => row.map((value) => String(value)));
const fields = report(rows);
console.log(
  `duckdb seconds=${seconds.toFixed(3)} bytes=${bytes}${fields ? ' ' + fields : ''} ` +
    `peak_rss_mib=${peakRssMib().toFixed(1)}`,
);
closeDuckDB(db);
