// Runs the merged stages module (tests/golden/ts/standalone/stages.ts, compiled by
// tests/testsuite/typescript.rs) in Node: a variable only some stages have is absent when unset,
// its value when set, and a listed problem when invalid, as the Rust module reads it
// (tests/testsuite/compile_generated.rs).
//   node stages.cjs STAGES_MODULE
// Prints every failure and exits 1 if there is one.
"use strict";
const assert = require("node:assert/strict");

const stages = require(process.argv[2]);
const { parseBarekeyEnv, BarekeyEnvError } = stages;
const failures = [];
function check(label, test) {
  try {
    test();
  } catch (error) {
    failures.push(`${label}: ${error.message}`);
  }
}

// Every variable both stages have.
const shared = {
  CHECKOUT_FLOW: "control",
  DATABASE_URL: "postgres://db",
  FEATURE_SIGNUPS: "true",
  LAUNCH_AT: "2026-03-01T00:00:00Z",
  LOG_LEVEL: "info",
  MAX_UPLOAD_MB: "25",
  NEW_DASHBOARD: "true",
  PORT: "8080",
  PRICING_EXPERIMENT: "7",
  REQUEST_TIMEOUT_SECS: "2.5",
  SEARCH_BACKEND_ROLLOUT: "typesense",
  STRIPE_SECRET_KEY: "sk_live_hunter2",
  THEME_CONFIG: '{"darkMode": false, "tiers": []}',
};
const stageOnly = ["BETA_LIMITS", "CDN_URL", "DEBUG_SQL", "NEW_SEARCH_UI", "SENTRY_DSN"];

check("exports", () => {
  assert.deepStrictEqual(Object.keys(stages).sort(), [
    "BarekeyEnvError",
    "barekeyManifestVersion",
    "barekeyManifestVersions",
    "parseBarekeyEnv",
    "parseBarekeyValue",
  ]);
  assert.deepStrictEqual(stages.barekeyManifestVersions, [
    ["production", "t9sL3I_6eXDzXRvMBydM_C2_NbNfoTcC_mFJYt97S7o"],
    ["staging", "Qm4v8N0pZr2KxTj7LwYc5HsD1gFbUe9AoI3yXaRtB6k"],
  ]);
});

check("a stage-only variable reads alone like the others", () => {
  assert.equal(stages.parseBarekeyValue("NEW_SEARCH_UI", "instant"), "instant");
  assert.deepStrictEqual(stages.parseBarekeyValue("BETA_LIMITS", '{"maxSeats": 5, "regions": []}'), { maxSeats: 5, regions: [] });
  assert.throws(() => stages.parseBarekeyValue("NEW_SEARCH_UI", "other"), BarekeyEnvError);
});

check("unset stage-only variables are absent", () => {
  const env = parseBarekeyEnv({ ...shared, SENTRY_DSN: undefined });
  for (const name of stageOnly) {
    assert.ok(!Object.prototype.hasOwnProperty.call(env, name), `${name} is present`);
  }
  assert.equal(Object.keys(env).length, Object.keys(shared).length);
  assert.equal(env.PORT, 8080n);
});

check("set stage-only variables are parsed", () => {
  const env = parseBarekeyEnv({
    ...shared,
    BETA_LIMITS: '{"maxSeats": 5, "regions": ["eu"], "extra": true}',
    CDN_URL: "",
    DEBUG_SQL: " yes ",
    NEW_SEARCH_UI: "instant",
  });
  assert.deepStrictEqual(env.BETA_LIMITS, { maxSeats: 5, regions: ["eu"], extra: true });
  assert.equal(env.CDN_URL, "", "an empty value is set");
  assert.equal(env.DEBUG_SQL, true);
  assert.equal(env.NEW_SEARCH_UI, "instant");
  assert.ok(!("SENTRY_DSN" in env));
  assert.ok(Object.isFrozen(env));
});

check("invalid stage-only variables are listed", () => {
  const source = {
    ...shared,
    PORT: undefined,
    BETA_LIMITS: '{"maxSeats": "five", "regions": []}',
    DEBUG_SQL: "maybe",
    NEW_SEARCH_UI: "other",
    SENTRY_DSN: "https://key@sentry.example/1",
  };
  assert.throws(() => parseBarekeyEnv(source), (error) => {
    assert.ok(error instanceof BarekeyEnvError);
    assert.deepStrictEqual(
      error.problems.map((problem) => [problem.name, problem.kind]),
      [
        ["BETA_LIMITS", "invalid"],
        ["DEBUG_SQL", "invalid"],
        ["NEW_SEARCH_UI", "invalid"],
        ["PORT", "missing"],
      ],
    );
    assert.ok(error.message.includes('DEBUG_SQL (boolean, public): "maybe" is invalid: expected true, false, 1, 0, yes or no (any case)'), error.message);
    assert.ok(!error.message.includes("hunter2"), error.message);
    return true;
  });
});

check("a stage-only variable holding a value that is not text is listed, not left out", () => {
  assert.throws(() => parseBarekeyEnv({ ...shared, DEBUG_SQL: true, CDN_URL: null }), (error) => {
    assert.deepStrictEqual(
      error.problems.map((problem) => [problem.name, problem.kind]),
      [
        ["CDN_URL", "invalid"],
        ["DEBUG_SQL", "invalid"],
      ],
    );
    assert.ok(error.message.includes("DEBUG_SQL (boolean, public): the value is a boolean, not text"), error.message);
    return true;
  });
});

check("inherited properties are not set", () => {
  const source = Object.assign(Object.create({ DEBUG_SQL: "maybe" }), shared);
  const env = parseBarekeyEnv(source);
  assert.ok(!Object.prototype.hasOwnProperty.call(env, "DEBUG_SQL"), "read from the prototype");
});

if (failures.length > 0) {
  console.log(failures.join("\n"));
  process.exit(1);
}
console.log("ok");
