// Type tests for the merged stages module (tests/golden/ts/standalone/stages.ts): a variable
// only one stage has is an optional property of `BarekeyEnv`, but `parseBarekeyValue` returns a
// value or throws, never `undefined`, so its type is the property's without `undefined`.
import { parseBarekeyValue, type BarekeyEnv } from "../golden/ts/standalone/stages";

const debugSql: boolean = parseBarekeyValue("DEBUG_SQL", "true");
const fromEnv: BarekeyEnv["DEBUG_SQL"] = debugSql;
// @ts-expect-error: read from a whole environment, a stage-only variable may be absent.
const absent: boolean = ({} as BarekeyEnv).DEBUG_SQL;

export { absent, debugSql, fromEnv };
