// The Node side of tests/testsuite/differential.rs:
//   node differential.cjs COMPILED_MODULE < batch.json > results.json
// For each `{type, text}` of the batch: the service's reading (service.cjs) and the generated
// TypeScript reader's (COMPILED_MODULE, one public variable per declared type, named after it,
// `abFloat`, an A/B float with arms `-0 | 0`, and `optional_<type>`, one not required per
// declared type), for the text and for what the service stores; for json, the reading of each
// variable of `batch.deep`, json typed with a deep type (not required). For each decision: the service's
// bucket and percentage. Values are in service.canonical's form; `null` is a refusal.
"use strict";
const fs = require("node:fs");
const service = require("./service.cjs");

const { parseBarekeyEnv, BarekeyEnvError } = require(process.argv[2]);
const batch = JSON.parse(fs.readFileSync(0, "utf8"));

/** A valid text for every variable but the one read (the optional ones may stay unset). */
const valid = { string: "x", boolean: "true", int64: "1", float: "1", date: "1970-01-01T00:00:00Z", json: "null", abFloat: "0" };

/** `{ value }`, the generated reader's value of `variable` for `text`, or `null` when it refuses it. */
function generated(variable, text) {
  try {
    return { value: parseBarekeyEnv({ ...valid, [variable]: text })[variable] };
  } catch (error) {
    if (error instanceof BarekeyEnvError && error.problems.length === 1) return null;
    throw error;
  }
}

function typescript(type, text) {
  const read = generated(type, text);
  return read === null ? null : service.canonical(type, read.value);
}

const values = batch.values.map(({ type, text }) => {
  const reference = service.read(type, text);
  const result = { reference: reference && reference.value, typescript: typescript(type, text) };
  // The optional variable of the type, set: exactly the required one's reading.
  const optional = generated(`optional_${type}`, text);
  result.optionalTypescript = optional === null ? null : service.canonical(type, optional.value);
  if (reference !== null) {
    const again = service.read(type, reference.stored);
    result.stored = reference.stored;
    result.storedReference = again && again.value;
    result.storedTypescript = typescript(type, reference.stored);
  }
  // Each deep-typed json variable (`deep`), for JSON the service accepts: the value when the
  // text has its type.
  if (type === "json" && reference !== null) {
    result.deep = batch.deep.map(({ name }) => {
      const read = generated(name, text);
      return read === null ? null : service.canonical("json", read.value);
    });
  }
  // An A/B float with arms `-0 | 0` must give the arm the text reads as, sign included.
  if (type === "float" && reference !== null && Number(reference.stored) === 0) {
    const arm = generated("abFloat", text);
    result.abFloat = arm === null ? null : service.floatBits(arm.value);
  }
  return result;
});

const decisions = batch.decisions.map(({ kind, name, seed, key, chance, rollout }) => {
  const bucket = service.bucket(kind, name, seed, key);
  const percentage = rollout && service.rolloutPercentage(rollout.function, rollout.milestones.map(({ at, percentage }) => ({ at, percentage: Number(percentage) })), rollout.now);
  return {
    bucket: bucket === null ? null : service.floatBits(bucket),
    percentage: percentage === null || percentage === undefined ? null : service.floatBits(percentage),
    arm: bucket === null || (rollout && percentage === null) ? null : kind === "ab_roll" ? (bucket < chance ? "a" : "b") : bucket < percentage / 100 ? "b" : "a",
  };
});

// Unset, the optional variables are left out: the names of those present (none expected).
const optionalUnset = Object.keys(parseBarekeyEnv(valid)).filter((name) => name.startsWith("optional_"));

process.stdout.write(JSON.stringify({ values, decisions, optionalUnset }));
