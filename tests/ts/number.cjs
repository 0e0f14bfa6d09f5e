// The Node side of `number_is_javascripts` in tests/testsuite/differential.rs:
//   node number.cjs < texts.json > results.json
// For each text of the JSON array: `Number(text)` as its IEEE 754 bits in hex (service.cjs's
// floatBits), or "NaN"; and the service's reading of it as a float (trimmed, not empty, finite:
// BAREKEY.md §2) in the same form, or null when it refuses it.
"use strict";
const fs = require("node:fs");
const { floatBits } = require("./service.cjs");

const texts = JSON.parse(fs.readFileSync(0, "utf8"));
const results = texts.map((text) => {
  const value = Number(text);
  const float = text.trim() !== "" && Number.isFinite(value) ? floatBits(value) : null;
  return { number: Number.isNaN(value) ? "NaN" : floatBits(value), float };
});
process.stdout.write(JSON.stringify(results));
