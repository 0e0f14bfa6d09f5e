//@section core
/** The outcome of parsing one variable's text: its value, or why it is invalid. */
type Parsed<T> = { readonly value: T } | { readonly reason: string };

/**
 * Reads and parses the variable `name`, recording a problem when it is missing or invalid.
 * The value returned after a problem is a stand-in that never reaches callers:
 * `parseBarekeyEnv` throws once every variable has been read.
 */
function readVariable<T>(
  source: BarekeyEnvSource,
  problems: BarekeyEnvProblem[],
  name: BarekeyKnownKey,
  declaredType: BarekeyDeclaredType,
  visibility: "private" | "public",
  parse: (text: string) => Parsed<T>,
): T {
  const text = ownValue(source, name);
  const label = `${displayName(name)} (${declaredType}, ${visibility})`;
  if (text === undefined) {
    const message = `${label}: not set; give ${displayName(name)} a value in the source object`;
    problems.push({ name, declaredType, visibility, kind: "missing", message });
    return undefined as never;
  }
  if (typeof text !== "string") {
    // A bundler's environment object holds other values too (Vite's `DEV` is a boolean): never
    // a variable's text. Only what it is is shown, so a private value stays hidden.
    const message = `${label}: the value is ${kindOf(text)}, not text`;
    problems.push({ name, declaredType, visibility, kind: "invalid", message });
    return undefined as never;
  }
  const parsed = parse(text);
  if ("value" in parsed) {
    return parsed.value;
  }
  // A private value never reaches the message; a public one is shown, cut after 80 characters.
  const shown =
    visibility === "public"
      ? `${shownValue(text)} is invalid`
      : "the value is invalid (hidden, the variable is private)";
  const message = `${label}: ${shown}: ${parsed.reason}`;
  problems.push({ name, declaredType, visibility, kind: "invalid", message });
  return undefined as never;
}

/** `source`'s own property `name`: `constructor` or `__proto__` is never read from the prototype. */
function ownValue(source: BarekeyEnvSource, name: string): unknown {
  return Object.prototype.hasOwnProperty.call(source, name) ? source[name] : undefined;
}

/** What a value that is not text is, for a message: `a boolean`, `null`, `an object`. */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "object" ? "an object" : `a ${type}`;
}

/** A name in a message: bare when it is letters, digits and punctuation, else quoted. */
function displayName(name: string): string {
  return /^[\p{Alphabetic}\p{N}!#-&(-/:-@[\]^_`{-~]+$/u.test(name) ? name : JSON.stringify(name);
}

function shownValue(text: string): string {
  const chars = Array.from(text);
  return chars.length > 80 ? `${JSON.stringify(chars.slice(0, 80).join("")).slice(0, -1)}…"` : JSON.stringify(text);
}

//@section string
/** Any text, untrimmed. */
function parseString(text: string): Parsed<string> {
  return { value: text };
}

//@section boolean
/** Trimmed, ASCII case-insensitive `true`, `1`, `yes` or `false`, `0`, `no`. */
function parseBoolean(text: string): Parsed<boolean> {
  const word = text.trim().replace(/[A-Z]/g, (letter) => letter.toLowerCase());
  if (word === "true" || word === "1" || word === "yes") {
    return { value: true };
  }
  if (word === "false" || word === "0" || word === "no") {
    return { value: false };
  }
  return { reason: "expected true, false, 1, 0, yes or no (any case)" };
}

//@section int64
/** Trimmed, `-?(0|[1-9][0-9]*)`, within the range of a signed 64-bit integer. */
function parseInt64(text: string): Parsed<bigint> {
  const number = text.trim();
  if (!/^-?(0|[1-9][0-9]*)$/.test(number)) {
    return { reason: "expected an integer with no leading zeros, like 8080 or -1" };
  }
  const value = BigInt(number);
  if (value < BigInt("-9223372036854775808") || value > BigInt("9223372036854775807")) {
    return { reason: "out of range for a 64-bit integer" };
  }
  return { value };
}

//@section float
/** Trimmed, not empty, and `Number` of it finite: `3.14`, `.5`, `+1e3`, `0x1F`, `0b101`. */
function parseFloat64(text: string): Parsed<number> {
  const number = text.trim();
  const value = number === "" ? NaN : Number(number);
  if (Number.isNaN(value)) {
    return { reason: "expected a finite number, like 3.14, 1e3 or 0x1F" };
  }
  if (!Number.isFinite(value)) {
    return { reason: "out of range for a 64-bit float; expected a finite number, like 3.14, 1e3 or 0x1F" };
  }
  return { value };
}

//@section date
/**
 * Trimmed `YYYY-MM-DDTHH:MM:SS(.fraction)?(Z|±HH:MM)` on a real calendar day, as `new Date`
 * reads it (`24:00:00` is the next midnight), or the text `toISOString` writes for a year
 * outside 0000 to 9999 (`+010000-01-01T00:30:00.000Z`), which the service stores.
 */
function parseDate(text: string): Parsed<Date> {
  const trimmed = text.trim();
  const match = /^([+-][0-9]{6}|[0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?(Z|[+-]([0-9]{2}):([0-9]{2}))$/.exec(trimmed);
  const notDate = { reason: "expected a date like 2024-02-29T12:00:00Z or 2024-02-29T12:00:00.000+02:00" };
  if (match === null) {
    return notDate;
  }
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fraction = match[7] ?? "";
  const expanded = match[1]?.length === 7;
  // Only the text `toISOString` writes has a six-digit year: three fraction digits, `Z`, and a
  // year outside 0000 to 9999 (`-000000` is none).
  if (expanded && (fraction.length !== 3 || match[8] !== "Z" || (year >= 0 && year <= 9999))) {
    return notDate;
  }
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (daysInMonth === undefined) {
    return { reason: "the month must be 01 to 12" };
  }
  if (day < 1 || day > daysInMonth) {
    return { reason: "the day does not exist in that month" };
  }
  const midnight = hour === 24 && minute === 0 && second === 0 && /^0*$/.test(fraction) && !expanded;
  if ((hour > 23 && !midnight) || minute > 59 || second > 59) {
    return { reason: "the time of day must be 00:00:00 to 23:59:59, or 24:00:00" };
  }
  if (Number(match[9] ?? "0") > 23 || Number(match[10] ?? "0") > 59) {
    return { reason: "the offset must be -23:59 to +23:59" };
  }
  const date = new Date(trimmed);
  if (Number.isNaN(date.getTime())) {
    return { reason: "out of range for a date; expected years -271821 to 275760" };
  }
  return { value: date };
}

//@section json
/**
 * What `JSON.parse` accepts, at any depth, as the service stores it (numbers that are not
 * finite become `null`, `-0` becomes `0`), and of the type `is` checks.
 */
function parseJson<T>(is: (value: unknown) => value is T, typeName: string): (text: string) => Parsed<T> {
  return (text) => {
    let value: unknown;
    try {
      value = asStored(JSON.parse(text));
    } catch {
      return { reason: "expected JSON" };
    }
    return is(value) ? { value } : { reason: `expected JSON of type ${typeName}` };
  };
}

/** `value` with its numbers as `JSON.stringify` stores them and no `__proto__` key, walked without recursion. */
function asStored(value: unknown): unknown {
  const stored = (item: unknown): unknown => (typeof item !== "number" ? item : !Number.isFinite(item) ? null : item === 0 ? 0 : item);
  const root = stored(value);
  const pending: unknown[] = [root];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next === "object" && next !== null) {
      const container = next as Record<string, unknown>;
      // `JSON.parse` keeps a `__proto__` key as an own property; the service rebuilds each
      // object key by key, where assigning `__proto__` sets the prototype instead: it is gone.
      if (Object.prototype.hasOwnProperty.call(container, "__proto__")) {
        delete container["__proto__"];
      }
      for (const key of Object.keys(container)) {
        const item = container[key];
        const fixed = stored(item);
        if (!Object.is(fixed, item)) {
          container[key] = fixed;
        }
        pending.push(fixed);
      }
    }
  }
  return root;
}

//@section anyjson
function isAnyJson(value: unknown): value is unknown {
  return value !== undefined;
}

//@section object
function isJsonObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `value[key]` when `value` is an object with that own property (never an inherited one). */
function ownField(value: unknown, key: string): unknown {
  return isJsonObject(value) && Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
}

/**
 * Whether `value` is an object whose own property `key` passes `is` for each `[key, is]` of
 * `fields`: a table, not one `&&` chain per key, which overflows tsc's stack from a thousand
 * keys.
 */
function hasFields(value: unknown, fields: ReadonlyArray<readonly [string, (field: unknown) => boolean]>): boolean {
  return isJsonObject(value) && fields.every(([key, is]) => is(ownField(value, key)));
}

//@section array
function isArrayOf(value: unknown, is: (item: unknown) => boolean): boolean {
  return Array.isArray(value) && value.every((item: unknown) => is(item));
}

//@section record
function isRecordOf(value: unknown, is: (item: unknown) => boolean): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((item: unknown) => is(item));
}

//@section arms
/** A parser that also requires the value to be one of `arms` (an A/B switch's or rollout's). */
function oneOf<T, A extends T>(parse: (text: string) => Parsed<T>, arms: readonly A[]): (text: string) => Parsed<A> {
  return (text) => {
    const parsed = parse(text);
    if (!("value" in parsed)) {
      return parsed;
    }
    // `Object.is` first: with arms `-0 | 0`, `"0"` is `0`, not the first arm `===` matches.
    const arm = arms.find((candidate) => Object.is(candidate, parsed.value)) ?? arms.find((candidate) => candidate === parsed.value);
    return arm === undefined ? { reason: `expected one of the ${arms.length} values the manifest declares` } : { value: arm };
  };
}

//@section optional
/**
 * Reads the variable `name` as `readVariable` does when it is set, and leaves it out when it is
 * not: a variable only some stages have. Spread into the object literal, so an unset variable
 * is no property at all, never one holding `undefined`.
 */
function readOptional<K extends BarekeyKnownKey, T>(
  source: BarekeyEnvSource,
  problems: BarekeyEnvProblem[],
  name: K,
  declaredType: BarekeyDeclaredType,
  visibility: "private" | "public",
  parse: (text: string) => Parsed<T>,
): { readonly [P in K]?: T } {
  // Not set as `readVariable` sees it: no own property, or one holding `undefined`. Any other
  // value is read, and reported when it is not valid text.
  if (ownValue(source, name) === undefined) {
    return {};
  }
  // A computed key: a plain `__proto__` key would set the prototype instead.
  return { [name]: readVariable(source, problems, name, declaredType, visibility, parse) } as { readonly [P in K]?: T };
}
