// Runs the demo's public-only module (tests/golden/ts/standalone/demo-public.ts, compiled by
// tests/testsuite/typescript.rs) in Node, fed what a browser has: the public values alone, as
// Vite's `import.meta.env` would hold them. It needs no private value, and holds no private one.
//   node public-only.cjs PUBLIC_MODULE
// Prints every failure and exits 1 if there is one.
"use strict";
const assert = require("node:assert/strict");

const { parseBarekeyEnv, BarekeyEnvError } = require(process.argv[2]);
const failures = [];
function check(label, test) {
  try {
    test();
  } catch (error) {
    failures.push(`${label}: ${error.message}`);
  }
}

const browser = {
  FEATURE_SIGNUPS: "true",
  LAUNCH_AT: "2026-03-01T00:00:00Z",
  LOG_LEVEL: "info",
  MAX_UPLOAD_MB: "25",
  PORT: "8080",
  PRICING_EXPERIMENT: "42",
  REQUEST_TIMEOUT_SECS: "2.5",
  SEARCH_BACKEND_ROLLOUT: "typesense",
  SENTRY_DSN: "",
  THEME_CONFIG: '{"darkMode": true, "tiers": []}',
  // What a bundler's object also holds: ignored.
  MODE: "production",
  DEV: false,
};

check("public values alone", () => {
  const env = parseBarekeyEnv(browser);
  assert.deepStrictEqual(Object.keys(env).sort(), Object.keys(browser).slice(0, 10));
  assert.equal(env.PORT, 8080n);
  assert.equal(env.SEARCH_BACKEND_ROLLOUT, "typesense");
});

check("private values are not read", () => {
  const env = parseBarekeyEnv({ ...browser, DATABASE_URL: "postgres://hunter2", CHECKOUT_FLOW: "x" });
  assert.ok(!("DATABASE_URL" in env) && !("CHECKOUT_FLOW" in env));
});

check("a missing public value is listed", () => {
  const { PORT, ...rest } = browser;
  assert.throws(() => parseBarekeyEnv(rest), (error) => {
    assert.ok(error instanceof BarekeyEnvError);
    assert.deepStrictEqual(error.problems.map((problem) => problem.name), ["PORT"]);
    return true;
  });
});

if (failures.length > 0) {
  console.log(failures.join("\n"));
  process.exit(1);
}
console.log("ok");
