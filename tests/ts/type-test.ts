// Type tests for the generated standalone module (tests/golden/ts/standalone/demo.ts): each
// `@ts-expect-error` line must fail to compile, or tsc reports the directive as unused.
import {
  BarekeyEnvError,
  barekeyManifestVersion,
  parseBarekeyEnv,
  parseBarekeyValue,
  type BarekeyEnv,
  type BarekeyKnownKey,
} from "../golden/ts/standalone/demo";

declare const env: BarekeyEnv;

const port: bigint = env.PORT;
const flow: "control" | "treatment" = env.CHECKOUT_FLOW;
const pricing: 1n | 42n = env.PRICING_EXPERIMENT;
const launch: Date = env.LAUNCH_AT;
const timeout: number = env.REQUEST_TIMEOUT_SECS;
const signups: boolean = env.FEATURE_SIGNUPS;
const theme: { darkMode: boolean; tiers: Array<string> } = env.THEME_CONFIG;
const key: BarekeyKnownKey = "PORT";
const version: string = barekeyManifestVersion;
const parsed: BarekeyEnv = parseBarekeyEnv({ PORT: "8080", OTHER: undefined });
const problems: readonly { readonly name: BarekeyKnownKey }[] = new BarekeyEnvError([]).problems;

// One variable's text, typed by its key: the same types as the interface's.
const flowValue: "control" | "treatment" = parseBarekeyValue("CHECKOUT_FLOW", "control");
const portValue: bigint = parseBarekeyValue("PORT", "8080");
const launchValue: Date = parseBarekeyValue("LAUNCH_AT", "2026-03-01T00:00:00Z");
const themeValue: { darkMode: boolean; tiers: Array<string> } = parseBarekeyValue("THEME_CONFIG", "{}");
/** A caller generic over the key keeps the key's type. */
function valueOf<K extends BarekeyKnownKey>(name: K, text: string): BarekeyEnv[K] {
  return parseBarekeyValue(name, text);
}
const pricingValue: 1n | 42n = valueOf("PRICING_EXPERIMENT", "42");

// @ts-expect-error: a name the manifest does not have
const unknownValue = parseBarekeyValue("NOT_A_VARIABLE", "1");
// @ts-expect-error: int64 is a bigint, also read alone
const portValueNumber: number = parseBarekeyValue("PORT", "8080");
// @ts-expect-error: an A/B switch read alone is still only its arms
const flowValueOne: "control" = parseBarekeyValue("CHECKOUT_FLOW", "control");
// @ts-expect-error: the text is text
parseBarekeyValue("PORT", 8080);

// @ts-expect-error: a variable the manifest does not have
const missing = env.NOT_A_VARIABLE;
// @ts-expect-error: int64 is a bigint, not a number
const portNumber: number = env.PORT;
// @ts-expect-error: a string is not a bigint either
const portText: string = env.PORT;
// @ts-expect-error: an A/B switch is only its arms
const onlyControl: "control" = env.CHECKOUT_FLOW;
// @ts-expect-error: the arms are 1n and 42n
const pricingOther: 2n = env.PRICING_EXPERIMENT;
// @ts-expect-error: a date is a Date, not text
const launchText: string = env.LAUNCH_AT;
// @ts-expect-error: json has the manifest's type
const themeWrong: { darkMode: string } = env.THEME_CONFIG;
// @ts-expect-error: every property is readonly
env.PORT = 1n;
// @ts-expect-error: not a known key
const unknownKey: BarekeyKnownKey = "NOPE";
// @ts-expect-error: the source is an object of variables, not text
parseBarekeyEnv("PORT=8080");
// @ts-expect-error: nor nothing
parseBarekeyEnv(undefined);

// The environment objects of common runtimes and bundlers, typed as their own typings type
// them: each is accepted, and a value that is not a string is reported as invalid at run time.
/** `NodeJS.ProcessEnv` (@types/node), the type of `process.env`. */
interface NodeProcessEnv {
  [key: string]: string | undefined;
  TZ?: string;
}
/** `Bun.Env` (bun-types), the type of `Bun.env` and of `process.env` under Bun. */
interface BunEnv {
  [key: string]: string | undefined;
  NODE_ENV?: string;
  TZ?: string;
}
/** Vite's `ImportMetaEnv` (vite/client), the type of `import.meta.env`. */
interface ViteImportMetaEnv {
  [key: string]: any;
  BASE_URL: string;
  MODE: string;
  DEV: boolean;
  PROD: boolean;
  SSR: boolean;
}
declare const nodeEnv: NodeProcessEnv;
declare const bunEnv: BunEnv;
declare const denoEnv: { [index: string]: string }; // `Deno.env.toObject()`
declare const viteEnv: ViteImportMetaEnv;
declare const nuxtEnv: Record<string, string | boolean | undefined>; // Nuxt's `import.meta.env`
const fromRuntimes: BarekeyEnv[] = [
  parseBarekeyEnv(nodeEnv),
  parseBarekeyEnv(bunEnv),
  parseBarekeyEnv(denoEnv),
  parseBarekeyEnv(viteEnv),
  parseBarekeyEnv(nuxtEnv),
  parseBarekeyEnv(Object.freeze({ PORT: "8080" })),
  // Not text: accepted by the type checker, reported as invalid.
  parseBarekeyEnv({ PORT: 8080, FEATURE_SIGNUPS: true }),
];

export const used = [port, flow, pricing, launch, timeout, signups, theme, key, version, parsed, problems, fromRuntimes];
export const usedValues = [flowValue, portValue, launchValue, themeValue, pricingValue];
export const wrong = [missing, portNumber, portText, onlyControl, pricingOther, launchText, themeWrong, unknownKey];
export const wrongValues = [unknownValue, portValueNumber, flowValueOne];
