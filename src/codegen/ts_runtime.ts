//@section core
/** The outcome of parsing one variable's text: its value, or why it is invalid. */
type Parsed<T> = { readonly value: T } | { readonly reason: string };

/**
 * Reads and parses the variable `name`, recording a problem when it is missing or invalid.
 * The value returned after a problem is a stand-in that never reaches callers:
 * `parseBarekeyEnv` throws once every variable has been read.
 */
function readVariable<T>(
  source: Readonly<Record<string, string | undefined>>,
  problems: BarekeyEnvProblem[],
  name: BarekeyKnownKey,
  declaredType: BarekeyDeclaredType,
  visibility: "private" | "public",
  parse: (text: string) => Parsed<T>,
): T {
  // Own properties only: `constructor` or `__proto__` must not be read from the prototype.
  const text = Object.prototype.hasOwnProperty.call(source, name) ? source[name] : undefined;
  const label = `${displayName(name)} (${declaredType}, ${visibility})`;
  if (typeof text !== "string") {
    const message = `${label}: not set; set the environment variable ${displayName(name)}`;
    problems.push({ name, declaredType, visibility, kind: "missing", message });
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

/** A name in a message: bare when it is letters, digits and punctuation, else quoted. */
function displayName(name: string): string {
  return /^[\p{Alphabetic}\p{N}!#-&(-/:-@[\]^_`{-~]+$/u.test(name) ? name : JSON.stringify(name);
}

function shownValue(text: string): string {
  const chars = Array.from(text);
  return chars.length > 80 ? `${JSON.stringify(chars.slice(0, 80).join("")).slice(0, -1)}…"` : JSON.stringify(text);
}

//@section trim
/** Trims exactly the characters Rust's `str::trim` does (Unicode White_Space). */
function trimWhiteSpace(text: string): string {
  return text.replace(/^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g, "");
}

//@section string
/** Any text, untrimmed. */
function parseString(text: string): Parsed<string> {
  return { value: text };
}

//@section boolean
/** Trimmed, ASCII case-insensitive `true`, `1`, `yes` or `false`, `0`, `no`. */
function parseBoolean(text: string): Parsed<boolean> {
  const word = trimWhiteSpace(text).replace(/[A-Z]/g, (letter) => letter.toLowerCase());
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
  const number = trimWhiteSpace(text);
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
/** Trimmed, a finite decimal number such as `3.14`, `-.5`, `5.` or `1e3`. */
function parseFloat64(text: string): Parsed<number> {
  const number = trimWhiteSpace(text);
  if (!/^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(number)) {
    return { reason: "expected a decimal number, like 3.14 or 1e3" };
  }
  const value = Number(number);
  if (!Number.isFinite(value)) {
    return { reason: "out of range for a 64-bit float; expected a finite number, like 3.14 or 1e3" };
  }
  return { value };
}

//@section date
/** Untrimmed `YYYY-MM-DDTHH:MM:SS(.fraction)?(Z|±HH:MM)` on a real calendar day, to the ms. */
function parseDate(text: string): Parsed<Date> {
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?(?:(Z)|([+-])([0-9]{2}):([0-9]{2}))$/.exec(text);
  if (match === null) {
    return { reason: "expected a date like 2024-02-29T12:00:00Z or 2024-02-29T12:00:00.000+02:00" };
  }
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (daysInMonth === undefined) {
    return { reason: "the month must be 01 to 12" };
  }
  if (day < 1 || day > daysInMonth) {
    return { reason: "the day does not exist in that month" };
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return { reason: "the time of day must be 00:00:00 to 23:59:59" };
  }
  const offsetHour = Number(match[10] ?? "0");
  const offsetMinute = Number(match[11] ?? "0");
  if (offsetHour > 23 || offsetMinute > 59) {
    return { reason: "the offset must be -23:59 to +23:59" };
  }
  // Truncated, not rounded, to milliseconds, as the service stores them.
  const millis = Number(`${match[7] ?? ""}000`.slice(0, 3));
  const sign = match[9] === "-" ? -1 : 1;
  // `setUTCFullYear`, not `Date.UTC`: the latter maps years 0 to 99 to 1900 to 1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return { value: new Date(date.getTime() - sign * (offsetHour * 60 + offsetMinute) * 60000) };
}

//@section json
/**
 * Valid JSON, accepted exactly as serde_json accepts it (numbers finite, no lone surrogates,
 * at most 127 levels of nesting), and of the type `is` checks.
 */
function parseJson<T>(is: (value: unknown) => value is T, typeName: string): (text: string) => Parsed<T> {
  return (text) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { reason: "expected JSON" };
    }
    if (!withinSerdeJson(value, 0)) {
      return { reason: "expected JSON within the limits of the Rust runtime (finite numbers, no lone surrogates, at most 127 levels of nesting)" };
    }
    return is(value) ? { value } : { reason: `expected JSON of type ${typeName}` };
  };
}

function withinSerdeJson(value: unknown, depth: number): boolean {
  if (typeof value === "number") {
    return Number.isFinite(value);
  }
  if (typeof value === "string") {
    return !/\p{Surrogate}/u.test(value);
  }
  if (typeof value !== "object" || value === null) {
    return true;
  }
  if (depth >= 127) {
    return false;
  }
  const entries = Array.isArray(value) ? value.map((item: unknown) => ["", item] as const) : Object.entries(value);
  return entries.every(([key, item]) => !/\p{Surrogate}/u.test(key) && withinSerdeJson(item, depth + 1));
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
    const arm = arms.find((candidate) => candidate === parsed.value);
    return arm === undefined ? { reason: `expected one of the ${arms.length} values the manifest declares` } : { value: arm };
  };
}
