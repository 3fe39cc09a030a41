#!/usr/bin/env node
'use strict';
// Measures the latency of a model call at every shape of a plan CSV on ONNX
// Runtime (CPU) and writes the table autoscale reads as a device's cost model.
//
//   node bench/ort/measure.js --plan plan.csv --out table.csv [--model M]
//       [--reps N] [--warmup N] [--threads T] [--budget-seconds S]
//
// plan.csv: a header naming batch, height and width (any order, other columns
// ignored), one shape a line. table.csv: batch,height,width,ms,cpu_ms in plan
// order, ms the median wall-clock time of the timed calls and cpu_ms the median
// process CPU time during them (autoscale reads ms and ignores cpu_ms; a cpu_ms
// well below ms x threads means other work took the cores). Each shape gets --warmup untimed calls, then
// --reps timed ones. With --budget-seconds, a shape whose first warm-up call
// shows it will not fit its share of the time left gets fewer warm-ups and reps,
// never fewer than 1 warm-up and 1 timed call. Progress goes to stderr; the
// table is written only once every shape is measured.

const fs = require('fs');
const path = require('path');
const { parseArgs } = require('util');
const { readShapeCsv, shapeKey } = require('./shape_csv');
const { defaultModelPath, openSession, makeInput, timedRun, timedRunCpu, parseCount, die } = require('./ort_session');

const kScript = 'measure.js';

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      plan: { type: 'string' },
      out: { type: 'string' },
      reps: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      threads: { type: 'string', default: '1' },
      'budget-seconds': { type: 'string' },
    },
    strict: true,
  });
  if (!values.plan) throw new Error('--plan is required');
  if (!values.out) throw new Error('--out is required');
  let budgetMs = Infinity;
  if (values['budget-seconds'] !== undefined) {
    const s = Number(values['budget-seconds']);
    if (!(s > 0) || !Number.isFinite(s)) {
      throw new Error(`--budget-seconds must be a positive number, got '${values['budget-seconds']}'`);
    }
    budgetMs = s * 1000;
  }
  return {
    model: values.model || defaultModelPath(),
    plan: values.plan,
    out: values.out,
    reps: parseCount('reps', values.reps, true),
    warmup: parseCount('warmup', values.warmup, true),
    threads: parseCount('threads', values.threads, true),
    budgetMs,
  };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

// How many more warm-ups and timed calls a shape gets, given the time of its
// first warm-up call and the time it may still use.
function plannedCalls(firstMs, allowanceMs, opts) {
  if (!Number.isFinite(allowanceMs)) return { warmup: opts.warmup - 1, reps: opts.reps };
  const affordable = Math.floor(allowanceMs / Math.max(firstMs, 1e-3));
  const reps = Math.min(Math.max(affordable, 1), opts.reps);
  const warmup = Math.min(Math.max(affordable - reps, 0), opts.warmup - 1);
  return { warmup, reps };
}

async function main() {
  const opts = parseOptions(process.argv.slice(2));
  const plan = readShapeCsv(opts.plan);
  if (plan.length === 0) throw new Error(`${opts.plan}: no shapes after the header`);
  const { ort, session, inputName } = await openSession(opts.model, opts.threads);
  process.stderr.write(`${kScript}: ${plan.length} shapes, ${path.basename(opts.model)}, ` +
    `${opts.threads} thread(s), onnxruntime-node ${ort.env.versions.common}\n`);

  const started = process.hrtime.bigint();
  const elapsedMs = () => Number(process.hrtime.bigint() - started) / 1e6;
  const rows = [];
  for (let i = 0; i < plan.length; i++) {
    const shape = plan[i];
    const feeds = { [inputName]: makeInput(ort, shape) };
    let first;
    try {
      first = await timedRun(session, feeds);
    } catch (e) {
      throw new Error(`${opts.plan}:${shape.line}: shape ${shapeKey(shape)}: ${e.message}`);
    }
    const allowance = (opts.budgetMs - elapsedMs() + first) / (plan.length - i) - first;
    const calls = plannedCalls(first, allowance, opts);
    for (let w = 0; w < calls.warmup; w++) await timedRun(session, feeds);
    const wall = [];
    const cpu = [];
    for (let r = 0; r < calls.reps; r++) {
      const t = await timedRunCpu(session, feeds);
      wall.push(t.wallMs);
      cpu.push(t.cpuMs);
    }
    const ms = median(wall);
    const cpuMs = median(cpu);
    rows.push(`${shape.batch},${shape.height},${shape.width},${ms.toFixed(4)},${cpuMs.toFixed(3)}`);
    process.stderr.write(`[${i + 1}/${plan.length}] ${shapeKey(shape)}: ${ms.toFixed(3)} ms, ` +
      `cpu ${cpuMs.toFixed(3)} ms ` +
      `(median of ${calls.reps}, ${calls.warmup + 1} warm-up) ${(elapsedMs() / 1000).toFixed(1)} s\n`);
  }

  // Through a temporary name, so a failed run never leaves half a table.
  const tmp = `${opts.out}.tmp${process.pid}`;
  try {
    fs.writeFileSync(tmp, `batch,height,width,ms,cpu_ms\n${rows.join('\n')}\n`);
    fs.renameSync(tmp, opts.out);
  } catch (e) {
    try { fs.unlinkSync(tmp); } catch (_) { /* nothing written */ }
    throw new Error(`${opts.out}: cannot write: ${e.code || e.message}`);
  }
  process.stderr.write(`${kScript}: wrote ${rows.length} rows to ${opts.out} in ` +
    `${(elapsedMs() / 1000).toFixed(1)} s\n`);
}

main().catch((e) => die(kScript, e));
