#!/usr/bin/env node
'use strict';
// Executes the model calls a router planned, once each in file order, on ONNX
// Runtime (CPU), and prints the measured time as JSON: the figure to compare
// with the total time autoscale predicts for the same runs.
//
//   node bench/ort/run_runs.js --runs runs.csv [--model M] [--threads T]
//
// runs.csv: a header naming batch, height and width (any order, other columns
// ignored), one run a line. Each distinct shape's input tensor is made once and
// reused, and gets one untimed warm-up call before the timed runs. Prints
//   {"runs": N, "total_ms": T, "total_cpu_ms": C, "per_shape": [{"batch",
//    "height", "width", "runs", "ms_total", "cpu_ms_total"}, ...]}
// with per_shape in order of first appearance; ms are wall-clock times taken
// around each call, cpu_ms the process CPU time during them.

const { parseArgs } = require('util');
const { readShapeCsv, shapeKey } = require('./shape_csv');
const { defaultModelPath, openSession, makeInput, timedRun, timedRunCpu, parseCount, die } = require('./ort_session');

const kScript = 'run_runs.js';

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      runs: { type: 'string' },
      threads: { type: 'string', default: '1' },
    },
    strict: true,
  });
  if (!values.runs) throw new Error('--runs is required');
  return {
    model: values.model || defaultModelPath(),
    runs: values.runs,
    threads: parseCount('threads', values.threads, true),
  };
}

const round3 = (x) => Math.round(x * 1000) / 1000;

async function main() {
  const opts = parseOptions(process.argv.slice(2));
  const runs = readShapeCsv(opts.runs);
  const { ort, session, inputName } = await openSession(opts.model, opts.threads);

  // One entry per distinct shape, in order of first appearance.
  const byKey = new Map();
  for (const run of runs) {
    const key = shapeKey(run);
    if (!byKey.has(key)) byKey.set(key, { shape: run, feeds: null, runs: 0, ms: 0, cpuMs: 0 });
  }
  process.stderr.write(`${kScript}: ${runs.length} runs over ${byKey.size} shapes, ` +
    `${opts.threads} thread(s); warming up\n`);
  for (const [key, entry] of byKey) {
    entry.feeds = { [inputName]: makeInput(ort, entry.shape) };
    try {
      await timedRun(session, entry.feeds);
    } catch (e) {
      throw new Error(`${opts.runs}:${entry.shape.line}: shape ${key}: ${e.message}`);
    }
  }

  let totalMs = 0;
  let totalCpuMs = 0;
  const progressEvery = Math.max(1, Math.floor(runs.length / 10));
  for (let i = 0; i < runs.length; i++) {
    const entry = byKey.get(shapeKey(runs[i]));
    const t = await timedRunCpu(session, entry.feeds);
    entry.runs++;
    entry.ms += t.wallMs;
    entry.cpuMs += t.cpuMs;
    totalMs += t.wallMs;
    totalCpuMs += t.cpuMs;
    if ((i + 1) % progressEvery === 0 || i + 1 === runs.length) {
      process.stderr.write(`[${i + 1}/${runs.length}] ${(totalMs / 1000).toFixed(2)} s\n`);
    }
  }

  const perShape = [...byKey.values()].map((e) => ({
    batch: e.shape.batch,
    height: e.shape.height,
    width: e.shape.width,
    runs: e.runs,
    ms_total: round3(e.ms),
    cpu_ms_total: round3(e.cpuMs),
  }));
  // One line per shape keeps the output readable for a long list of runs.
  process.stdout.write(`{"runs": ${runs.length}, "total_ms": ${round3(totalMs)}, ` +
    `"total_cpu_ms": ${round3(totalCpuMs)}, "per_shape": [\n` +
    perShape.map((s) => `  ${JSON.stringify(s)}`).join(',\n') + '\n]}\n');
}

main().catch((e) => die(kScript, e));
