'use strict';
// Loads onnxruntime-node from bench/cache/ort (bench/ort/setup.sh installs it)
// and opens a CPU session pinned to a fixed thread count that runs nodes
// sequentially with every graph optimization, so timings are repeatable on a
// shared machine. Also makes input tensors of a given (n, 3, h, w) shape and the
// command-line options both benchmark scripts share.

const fs = require('fs');
const path = require('path');

const kRepo = path.resolve(__dirname, '..', '..');
const kOrtDir = path.join(kRepo, 'bench', 'cache', 'ort', 'node_modules', 'onnxruntime-node');
const kRecModel = 'ch_PP-OCRv4_rec_infer.onnx';

// The rec model in $AUTOSCALE_MODELS_DIR, else in <repo>/cache/models (where
// scripts/fetch-models.sh puts it).
function defaultModelPath() {
  const dir = process.env.AUTOSCALE_MODELS_DIR || path.join(kRepo, 'cache', 'models');
  return path.join(dir, kRecModel);
}

function loadOrt() {
  if (!fs.existsSync(kOrtDir)) {
    throw new Error(`onnxruntime-node is not installed in ${kOrtDir}: run bench/ort/setup.sh`);
  }
  return require(kOrtDir);
}

// Opens `modelPath` with `threads` intra-op threads. Returns {ort, session, inputName}.
async function openSession(modelPath, threads) {
  if (!fs.existsSync(modelPath)) {
    throw new Error(`${modelPath}: no such model (scripts/fetch-models.sh fetches it, or pass --model)`);
  }
  const ort = loadOrt();
  const session = await ort.InferenceSession.create(modelPath, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  if (session.inputNames.length !== 1) {
    throw new Error(`${modelPath}: expected one input, the model has ${session.inputNames.length}`);
  }
  return { ort, session, inputName: session.inputNames[0] };
}

// A float32 tensor of shape (batch, 3, height, width) filled with fixed
// pseudo-random values in [0, 1); values do not change the time of a call.
function makeInput(ort, shape) {
  const count = shape.batch * 3 * shape.height * shape.width;
  const data = new Float32Array(count);
  let state = 12345;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    data[i] = (state >>> 8) / 16777216;
  }
  return new ort.Tensor('float32', data, [shape.batch, 3, shape.height, shape.width]);
}

// Runs one call and returns its wall-clock time in milliseconds.
async function timedRun(session, feeds) {
  const start = process.hrtime.bigint();
  await session.run(feeds);
  const end = process.hrtime.bigint();
  return Number(end - start) / 1e6;
}

// Runs one call and returns {wallMs, cpuMs}: its wall-clock time and the CPU
// time (user + system) of the whole process during it. On a machine shared
// with other work the CPU time grows less than the wall time when cores are
// taken by others, so the two together show how loaded a measurement was.
async function timedRunCpu(session, feeds) {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  await session.run(feeds);
  const end = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpuStart);
  return { wallMs: Number(end - start) / 1e6, cpuMs: (cpu.user + cpu.system) / 1000 };
}

// Parses a non-negative (or, with `positive`, >= 1) integer option value.
function parseCount(name, value, positive) {
  if (!/^[0-9]+$/.test(String(value)) || (positive && Number(value) < 1)) {
    throw new Error(`--${name} must be ${positive ? 'a positive' : 'a non-negative'} integer, got '${value}'`);
  }
  return Number(value);
}

// Prints the message of `error` as one line on stderr and exits with status 1.
function die(script, error) {
  const message = String(error && error.message ? error.message : error);
  process.stderr.write(`${script}: ${message.trim().replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(1);
}

module.exports = { defaultModelPath, openSession, makeInput, timedRun, timedRunCpu, parseCount, die };
