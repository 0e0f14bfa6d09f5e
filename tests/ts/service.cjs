// The Barekey service's reading of values and decisions (BAREKEY.md §2 and §3), on Node's own
// built-ins: String.prototype.trim, Number, new Date(...).toISOString() and JSON.parse, with
// the service's few rules on top. tests/testsuite/differential.rs holds the Rust and TypeScript
// readers to it. Written from BAREKEY.md, not from either reader: keep it that way.
"use strict";
const crypto = require("node:crypto");

/** BAREKEY.md §2's date grammar, checked on the JS-trimmed text. */
const DATE_ON_WRITE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Whether the `YYYY-MM-DD` starting `text` is a day of the proleptic Gregorian calendar. */
function isCalendarDay(text) {
  const [year, month, day] = [text.slice(0, 4), text.slice(5, 7), text.slice(8, 10)].map(Number);
  const probe = new Date(0);
  probe.setUTCFullYear(year, month - 1, day);
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/**
 * The service's rebuild of a parsed value: every object copied key by key into a fresh `{}`,
 * where assigning `__proto__` sets the copy's prototype (or does nothing) instead of adding a
 * key, so no `__proto__` key survives at any depth.
 */
function rebuild(value) {
  if (Array.isArray(value)) {
    return value.map(rebuild);
  }
  if (typeof value === "object" && value !== null) {
    const copy = {};
    for (const key of Object.keys(value)) {
      copy[key] = rebuild(value[key]);
    }
    return copy;
  }
  return value;
}

/** `JSON.stringify` with object keys sorted by `localeCompare`, as the service stores JSON. */
function storeJson(value) {
  if (Array.isArray(value)) {
    return `[${value.map(storeJson).join(",")}]`;
  }
  if (typeof value === "object" && value !== null) {
    const keys = Object.keys(value).sort((a, b) => a.localeCompare(b));
    return `{${keys.map((key) => `${JSON.stringify(key)}:${storeJson(value[key])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** What the service stores when `text` is written as `type`, or `null` when it refuses it. */
function write(type, text) {
  const trimmed = text.trim();
  switch (type) {
    case "string":
      return text;
    case "boolean": {
      const word = trimmed.toLowerCase();
      if (["true", "1", "yes"].includes(word)) return "true";
      if (["false", "0", "no"].includes(word)) return "false";
      return null;
    }
    case "int64": {
      if (!/^-?(0|[1-9][0-9]*)$/.test(trimmed)) return null;
      const value = BigInt(trimmed);
      return value >= -(2n ** 63n) && value < 2n ** 63n ? value.toString() : null;
    }
    case "float":
      return trimmed !== "" && Number.isFinite(Number(trimmed)) ? trimmed : null;
    case "date": {
      if (!DATE_ON_WRITE.test(trimmed) || !isCalendarDay(trimmed)) return null;
      const date = new Date(trimmed);
      return Number.isNaN(date.getTime()) ? null : date.toISOString();
    }
    case "json": {
      let value;
      try {
        value = JSON.parse(text);
      } catch {
        return null;
      }
      return storeJson(rebuild(value));
    }
    default:
      throw new Error(`unknown declared type ${type}`);
  }
}

/**
 * What a reader must give for `text` (an environment variable set by hand, or what the API
 * hands out): `{ stored, value }` where `value` is `canonical(type, ...)` of the value, or
 * `null` when the service would refuse it. A reader accepts what the service accepts on write
 * and the text it stores; the only stored text not accepted on write is a date `toISOString`
 * writes with a year outside 0000 to 9999.
 */
function read(type, text) {
  let stored = write(type, text);
  if (stored === null && type === "date") {
    const trimmed = text.trim();
    const date = new Date(trimmed);
    stored = !Number.isNaN(date.getTime()) && date.toISOString() === trimmed ? trimmed : null;
  }
  return stored === null ? null : { stored, value: canonical(type, valueOfStored(type, stored)) };
}

/** The JavaScript value of stored text. */
function valueOfStored(type, stored) {
  switch (type) {
    case "string":
      return stored;
    case "boolean":
      return stored === "true";
    case "int64":
      return BigInt(stored);
    case "float":
      return Number(stored);
    case "date":
      return new Date(stored);
    case "json":
      return JSON.parse(stored);
  }
  throw new Error(`unknown declared type ${type}`);
}

/** The IEEE 754 bits of `number`, as 16 hex digits: equal bits, equal values, `-0` included. */
function floatBits(number) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, number);
  return view.getBigUint64(0).toString(16).padStart(16, "0");
}

/**
 * A value of `type` as one string, the same for equal values in Rust and JavaScript: floats as
 * bits, dates as `toISOString`, JSON with keys in code point order and lone surrogates as
 * U+FFFD (the one thing a Rust string cannot hold; docs/parsing.md says so).
 */
function canonical(type, value) {
  switch (type) {
    case "string":
      return value;
    case "boolean":
    case "int64":
      return value.toString();
    case "float":
      return floatBits(value);
    case "date":
      return value.toISOString();
    case "json":
      return canonicalJson(value);
  }
  throw new Error(`unknown declared type ${type}`);
}

function byCodePoint(a, b) {
  const [x, y] = [Array.from(a, (c) => c.codePointAt(0)), Array.from(b, (c) => c.codePointAt(0))];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return x.length - y.length;
}

function canonicalJson(value) {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return String(value);
    case "number":
      return `n${floatBits(value)}`;
    case "string":
      return JSON.stringify(value.toWellFormed());
  }
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(",")}]`;
  }
  // Keys that differ only in a lone surrogate meet as one: the later value wins.
  const entries = new Map();
  for (const key of Object.keys(value)) {
    entries.set(key.toWellFormed(), canonicalJson(value[key]));
  }
  const keys = [...entries.keys()].sort(byCodePoint);
  return `{${keys.map((key) => `${JSON.stringify(key)}:${entries.get(key)}`).join(",")}}`;
}

/** BAREKEY.md §3: the bucket in [0, 1), or `null` when seed and key are both empty. */
function bucket(kind, name, seed, key) {
  const [s, k] = [(seed ?? "").trim(), (key ?? "").trim()];
  if (s === "" && k === "") return null;
  const digest = crypto.createHash("sha256").update(`${kind}:${name}:${s}:${k}`, "utf8").digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/**
 * BAREKEY.md §3: the rollout percentage at `now` (ms), or `null` for a schedule the service
 * refuses. `milestones` are `{at: ms, percentage: number}`.
 */
function rolloutPercentage(fn, milestones, now) {
  if (milestones.length === 0) return null;
  for (let i = 0; i < milestones.length; i++) {
    const { at, percentage } = milestones[i];
    if (!Number.isFinite(percentage) || percentage < 0 || percentage > 100) return null;
    if (i > 0 && !(at > milestones[i - 1].at)) return null;
  }
  if (now < milestones[0].at) return 0;
  for (let i = 0; i + 1 < milestones.length; i++) {
    const [from, to] = [milestones[i], milestones[i + 1]];
    if (now >= from.at && now < to.at) {
      const p = (now - from.at) / (to.at - from.at);
      const eased = fn === "linear" ? p : fn === "step" ? 0 : p * p * (3 - 2 * p);
      return from.percentage + (to.percentage - from.percentage) * eased;
    }
  }
  return milestones[milestones.length - 1].percentage;
}

module.exports = { read, canonical, floatBits, bucket, rolloutPercentage };
