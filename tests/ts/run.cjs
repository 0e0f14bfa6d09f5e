// Runs the generated TypeScript (compiled by tests/testsuite/typescript.rs) in Node:
//   node run.cjs TABLE PARSE_CASES_MODULE DEMO_MODULE HOSTILE_MODULE HOSTILE_MANIFEST DEMO_ESM MODULE...
// The modules are CommonJS but for DEMO_ESM, the demo module compiled as an ES module; each
// MODULE (every standalone golden file) must export exactly the runtime's four names.
// Prints every failure and exits 1 if there is one.
"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");

const { pathToFileURL } = require("node:url");

const [tablePath, casesModule, demoModule, hostileModule, hostileManifest, demoEsm, ...modules] = process.argv.slice(2);
const failures = [];
// What every standalone module exports, whatever its manifest.
const runtimeExports = ["BarekeyEnvError", "barekeyManifestVersion", "parseBarekeyEnv", "parseBarekeyValue"];
function check(label, test) {
  try {
    test();
  } catch (error) {
    failures.push(`${label}: ${error.message}`);
  }
}

// A valid text for every variable of the parse-case module but `except`.
const validText = {
  string: "x",
  boolean: "true",
  int64: "1",
  float: "1",
  date: "1970-01-01T00:00:00Z",
  json: "null",
};

/** The table's form of a parsed value: int64 as text, dates as Unix milliseconds. */
function tableForm(declared, value) {
  if (declared === "int64") return value.toString();
  if (declared === "date") return value.getTime();
  return value;
}

// 1. The shared parse-case table, the same one runtime/tests/parse_table.rs runs against Rust.
{
  const { parseBarekeyEnv, BarekeyEnvError } = require(casesModule);
  const table = JSON.parse(fs.readFileSync(tablePath, "utf8"));
  for (const testCase of table) {
    const label = `${testCase.type} ${JSON.stringify(testCase.text)}`;
    check(label, () => {
      const source = { ...validText, [testCase.type]: testCase.text };
      let outcome;
      try {
        outcome = { value: parseBarekeyEnv(source)[testCase.type] };
      } catch (error) {
        assert.ok(error instanceof BarekeyEnvError, `threw ${error}`);
        assert.equal(error.problems.length, 1, error.message);
        outcome = { message: error.problems[0].message };
      }
      // One variable's text alone: the same value, or the same problem.
      const { parseBarekeyValue } = require(casesModule);
      let alone;
      try {
        alone = { value: parseBarekeyValue(testCase.type, testCase.text) };
      } catch (error) {
        assert.ok(error instanceof BarekeyEnvError, `parseBarekeyValue threw ${error}`);
        alone = { message: error.problems[0].message };
      }
      assert.deepStrictEqual(alone, outcome, "parseBarekeyValue reads as parseBarekeyEnv does");
      if ("error" in testCase) {
        assert.ok("message" in outcome, `parsed as ${String(outcome.value)}, table says invalid`);
        assert.ok(outcome.message.includes(`: ${testCase.error}`), outcome.message);
      } else {
        assert.ok("value" in outcome, `invalid (${outcome.message}), table says valid`);
        if ("value" in testCase) {
          assert.deepStrictEqual(tableForm(testCase.type, outcome.value), testCase.value);
        }
      }
    });
  }
}

// 2. The demo module: values, every problem at once, private values hidden, arms enforced.
{
  const { parseBarekeyEnv, BarekeyEnvError } = require(demoModule);
  const good = {
    CHECKOUT_FLOW: "treatment",
    DATABASE_URL: "postgres://db",
    FEATURE_SIGNUPS: " YES ",
    LAUNCH_AT: "2026-03-01T09:30:00.250+01:00",
    LOG_LEVEL: "info",
    MAX_UPLOAD_MB: "-25",
    NEW_DASHBOARD: "0",
    PORT: "8080",
    PRICING_EXPERIMENT: "42",
    REQUEST_TIMEOUT_SECS: "2.5",
    SEARCH_BACKEND_ROLLOUT: "typesense",
    SENTRY_DSN: "",
    STRIPE_SECRET_KEY: "sk_live_hunter2",
    THEME_CONFIG: '{"darkMode": true, "tiers": ["free", "pro"], "extra": 1}',
  };
  check("demo values", () => {
    const env = parseBarekeyEnv(good);
    assert.equal(env.CHECKOUT_FLOW, "treatment");
    assert.equal(env.FEATURE_SIGNUPS, true);
    assert.equal(env.LAUNCH_AT.toISOString(), "2026-03-01T08:30:00.250Z");
    assert.equal(env.MAX_UPLOAD_MB, -25n);
    assert.equal(env.NEW_DASHBOARD, false);
    assert.equal(env.PORT, 8080n);
    assert.equal(env.PRICING_EXPERIMENT, 42n);
    assert.equal(env.REQUEST_TIMEOUT_SECS, 2.5);
    assert.deepStrictEqual(env.THEME_CONFIG.tiers, ["free", "pro"]);
    assert.ok(Object.isFrozen(env));
  });
  check("demo problems", () => {
    const source = {
      ...good,
      PORT: "80a",
      STRIPE_SECRET_KEY: undefined,
      DATABASE_URL: undefined,
      CHECKOUT_FLOW: "sk_live_hunter2",
      NEW_DASHBOARD: "maybe-hunter2",
      PRICING_EXPERIMENT: "7",
      THEME_CONFIG: '{"darkMode": "yes", "tiers": []}',
    };
    assert.throws(() => parseBarekeyEnv(source), (error) => {
      assert.ok(error instanceof BarekeyEnvError && error instanceof Error);
      assert.equal(error.name, "BarekeyEnvError");
      assert.deepStrictEqual(
        error.problems.map((problem) => [problem.name, problem.kind]),
        [
          ["CHECKOUT_FLOW", "invalid"],
          ["DATABASE_URL", "missing"],
          ["NEW_DASHBOARD", "invalid"],
          ["PORT", "invalid"],
          ["PRICING_EXPERIMENT", "invalid"],
          ["STRIPE_SECRET_KEY", "missing"],
          ["THEME_CONFIG", "invalid"],
        ],
      );
      assert.ok(error.message.startsWith("7 Barekey variables could not be loaded:\n  - "));
      assert.ok(!error.message.includes("hunter2"), error.message);
      assert.ok(error.message.includes(
        'PORT (int64, public): "80a" is invalid: expected an integer with no leading zeros, like 8080 or -1'));
      assert.ok(error.message.includes(
        "CHECKOUT_FLOW (string, private): the value is invalid (hidden, the variable is private)"));
      assert.ok(error.message.includes("DATABASE_URL (string, private): not set; give DATABASE_URL a value in the source object"));
      return true;
    });
  });
  check("demo reports values that are not text as invalid", () => {
    // What a bundler's environment object may hold (Vite's `DEV` is a boolean).
    const source = {
      ...good,
      PORT: 8080,
      FEATURE_SIGNUPS: true,
      STRIPE_SECRET_KEY: { secret: "hunter2" },
      DATABASE_URL: null,
      LOG_LEVEL: ["info"],
      SENTRY_DSN: undefined,
    };
    assert.throws(() => parseBarekeyEnv(source), (error) => {
      assert.ok(error instanceof BarekeyEnvError);
      assert.deepStrictEqual(
        error.problems.map((problem) => [problem.name, problem.kind]),
        [
          ["DATABASE_URL", "invalid"],
          ["FEATURE_SIGNUPS", "invalid"],
          ["LOG_LEVEL", "invalid"],
          ["PORT", "invalid"],
          ["SENTRY_DSN", "missing"],
          ["STRIPE_SECRET_KEY", "invalid"],
        ],
      );
      assert.ok(!error.message.includes("hunter2"), error.message);
      for (const line of [
        "PORT (int64, public): the value is a number, not text",
        "FEATURE_SIGNUPS (boolean, public): the value is a boolean, not text",
        "STRIPE_SECRET_KEY (string, private): the value is an object, not text",
        "DATABASE_URL (string, private): the value is null, not text",
        "LOG_LEVEL (string, public): the value is an array, not text",
      ]) {
        assert.ok(error.message.includes(line), `${line} is not in ${error.message}`);
      }
      return true;
    });
  });
  check("demo values read alone", () => {
    const { parseBarekeyValue } = require(demoModule);
    assert.equal(parseBarekeyValue("CHECKOUT_FLOW", "treatment"), "treatment");
    assert.equal(parseBarekeyValue("PORT", " 8080 "), 8080n);
    assert.equal(parseBarekeyValue("PRICING_EXPERIMENT", "42"), 42n);
    assert.equal(parseBarekeyValue("LAUNCH_AT", good.LAUNCH_AT).toISOString(), "2026-03-01T08:30:00.250Z");
    assert.deepStrictEqual(parseBarekeyValue("THEME_CONFIG", good.THEME_CONFIG).tiers, ["free", "pro"]);
    assert.throws(() => parseBarekeyValue("PORT", "80a"), (error) => {
      assert.ok(error instanceof BarekeyEnvError);
      assert.equal(
        error.message,
        '1 Barekey variable could not be loaded:\n  - PORT (int64, public): "80a" is invalid: expected an integer with no leading zeros, like 8080 or -1',
      );
      return true;
    });
    assert.throws(() => parseBarekeyValue("CHECKOUT_FLOW", "sk_live_hunter2"), (error) => {
      assert.ok(error instanceof BarekeyEnvError);
      assert.ok(!error.message.includes("hunter2"), error.message);
      assert.deepStrictEqual(error.problems.map((problem) => problem.kind), ["invalid"]);
      return true;
    });
    assert.throws(() => parseBarekeyValue("NOPE", "1"), { name: "TypeError", message: "NOPE is not a Barekey variable of this module" });
    assert.throws(() => parseBarekeyValue("constructor", "1"), TypeError, "an inherited name is no variable");
  });
  check("demo ignores inherited properties", () => {
    const source = Object.create({ PORT: "1" });
    assert.throws(() => parseBarekeyEnv(source), /14 Barekey variables could not be loaded/);
  });
}

// 3. The hostile-names module: exactly the four runtime exports (nothing injected), and every
// variable read under its exact name, `__proto__` and `constructor` included.
{
  const hostile = require(hostileModule);
  check("hostile exports", () => {
    assert.deepStrictEqual(Object.keys(hostile).sort(), runtimeExports);
  });
  const manifest = JSON.parse(fs.readFileSync(hostileManifest, "utf8"));
  const special = { "[link]": "</script>", load: "1.5", ["__proto__"]: '{"bad-key": "x"}', fn: "[]", "日本語": "{}" };
  const source = Object.create(null);
  for (const variable of manifest.variables) {
    source[variable.name] = Object.prototype.hasOwnProperty.call(special, variable.name)
      ? special[variable.name]
      : validText[variable.declaredType];
  }
  check("hostile values read alone", () => {
    assert.deepStrictEqual(hostile.parseBarekeyValue("__proto__", '{"bad-key": "x"}'), { "bad-key": "x" });
    assert.equal(hostile.parseBarekeyValue("constructor", "x"), "x");
    assert.equal(hostile.parseBarekeyValue("[link]", "</script>"), "</script>");
  });
  check("hostile values", () => {
    const env = hostile.parseBarekeyEnv(source);
    assert.equal(Object.keys(env).length, manifest.variables.length);
    assert.equal(Object.getPrototypeOf(env), Object.prototype);
    assert.deepStrictEqual(Object.getOwnPropertyDescriptor(env, "__proto__").value, { "bad-key": "x" });
    assert.equal(env.constructor, "x");
    assert.equal(env["[link]"], "</script>");
    assert.equal(env.load, 1.5);
    assert.equal(env["line1\nline2"], "x");
  });
}

// 4. Every module exports exactly the runtime: nothing a name, slug or type injected.
check("modules given", () => assert.ok(modules.length > 0));
for (const module of modules) {
  check(`${module} exports`, () => {
    assert.deepStrictEqual(Object.keys(require(module)).sort(), runtimeExports);
  });
}

// 5. The same module works as an ES module.
import(pathToFileURL(demoEsm).href)
  .then((esm) => {
    check("ES module exports", () => {
      assert.deepStrictEqual(Object.keys(esm).sort(), runtimeExports);
      assert.throws(() => esm.parseBarekeyEnv({}), esm.BarekeyEnvError);
    });
  })
  .catch((error) => failures.push(`ES module: ${error}`))
  .finally(() => {
    if (failures.length > 0) {
      console.log(failures.join("\n"));
      process.exit(1);
    }
    console.log("ok");
  });
