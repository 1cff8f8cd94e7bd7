// `npm run bench [-- --quick] [-- --runs <k>] [-- --only pure,components,cli] [-- --record-reference]`: the scale figures of
// issue 18, each a ratio of two medians measured in this run, with the targets as PASS/FAIL.
// Every measurement runs in a child process of its own (its peak RSS is its own); the two sides
// of a ratio alternate so that the machine's load weighs on both alike. Writes bench/results.json.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MocksSample } from "./mocks-child";
import type { PureSample } from "./pure-child";
import { writeCliProgram } from "./cli-program";

const ROOT = join(__dirname, "..", "..");
const DIST = join(ROOT, "dist");
const CLI = join(DIST, "cli", "kong-plugins.js");
/**
 * Digests of the pure layer's output per N, recorded by bench/pure-child.js run on the code
 * before the optimisations (commit 6807111, which already renders the controller, artifact and
 * Konnect features). A change that means to change the output records them again from the
 * unoptimised path, never from the code under measurement.
 */
const REFERENCE_FILE = join(ROOT, "bench", "reference-digests.json");
const RESULTS_FILE = join(ROOT, "bench", "results.json");
/** Examples whose committed preview the optimised code must render byte for byte. */
const EXAMPLES: Readonly<Record<string, string>> = {
  quickstart: ".",
  kubernetes: "examples/kubernetes",
  "custom-image": "examples/custom-image",
  operator: "examples/operator",
  "seed-operator": "examples/seed-operator",
};

interface Plan {
  readonly quick: boolean;
  readonly runs: number;
  /** N of the ratios (pure layer and component layer). */
  readonly ratioCount: number;
  /** N of the growth exponents of the pure layer. */
  readonly pureCounts: readonly number[];
  /** N of the growth exponents of the component layer. */
  readonly mocksCounts: readonly number[];
  /** Instances of the generated CLI program. */
  readonly cliCount: number;
  readonly recordReference: boolean;
  /** The sections to measure (`--only pure,cli`): a section alone takes minutes, not the whole run's half hour. */
  readonly sections: readonly Section[];
}

const SECTIONS = ["pure", "components", "cli"] as const;
type Section = (typeof SECTIONS)[number];

function planOf(argv: readonly string[]): Plan {
  const quick = argv.includes("--quick");
  const valueOf = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  const runs = Number(valueOf("--runs") ?? 5);
  if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs takes a positive integer");
  const mocksCounts = valueOf("--mocks-counts")?.split(",").map(Number);
  if (mocksCounts && (mocksCounts.length < 2 || mocksCounts.some((count) => !Number.isInteger(count) || count < 1))) throw new Error("--mocks-counts takes at least two counts, e.g. 1000,2000,5000");
  const sections = (valueOf("--only")?.split(",") ?? [...SECTIONS]) as Section[];
  if (sections.length === 0 || sections.some((section) => !SECTIONS.includes(section))) throw new Error(`--only takes sections among ${SECTIONS.join(", ")}`);
  const plan = quick
    ? { sections, quick, runs, ratioCount: 1000, pureCounts: [250, 500, 1000, 2000], mocksCounts: [250, 500, 1000], cliCount: 1000, recordReference: argv.includes("--record-reference") }
    : { sections, quick, runs, ratioCount: 5000, pureCounts: [1000, 2000, 5000, 10000], mocksCounts: [1000, 2000, 5000, 10000], cliCount: 1000, recordReference: argv.includes("--record-reference") };
  return mocksCounts ? { ...plan, mocksCounts } : plan;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The least-squares slope of log(ms) over log(N): 1 is linear, 2 quadratic. */
function growthExponent(points: readonly { count: number; ms: number }[]): number {
  const xs = points.map((point) => Math.log(point.count));
  const ys = points.map((point) => Math.log(point.ms));
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const [mx, my] = [mean(xs), mean(ys)];
  const covariance = xs.reduce((sum, x, index) => sum + (x - mx) * ((ys[index] as number) - my), 0);
  const variance = xs.reduce((sum, x) => sum + (x - mx) ** 2, 0);
  return covariance / variance;
}

/**
 * Runs one measurement. Its heap may grow past Node's default limit (the unoptimised component
 * layer kept ~0.6 MB per instance): a measurement is of time and memory, not of that limit.
 */
function child<T>(script: string, args: readonly string[]): T {
  const result = spawnSync(process.execPath, ["--max-old-space-size=16384", join(DIST, "bench", script), ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`${script} ${args.join(" ")} failed (${result.status}):\n${result.stderr.slice(-4000)}`);
  const lines = result.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1] as string) as T;
}

/** Wall time and peak RSS of `node <args>` run in `cwd`. */
function timedNode(args: readonly string[], cwd: string): { ms: number; maxRssKb: number; status: number; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "kong-plugins-bench-rss-"));
  const rssFile = join(dir, "rss");
  try {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, ["-r", join(DIST, "bench", "rss-report.js"), ...args], {
      cwd,
      encoding: "utf8",
      maxBuffer: 1 << 26,
      env: { ...process.env, KONG_PLUGINS_BENCH_RSS_FILE: rssFile },
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { ms, maxRssKb: existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8")) : NaN, status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

interface Figure {
  readonly name: string;
  readonly value: number;
  /** The target the value must not exceed; none for a figure shown for information. */
  readonly target?: number;
  readonly unit: string;
}

interface Check {
  readonly name: string;
  readonly pass: boolean;
  readonly detail: string;
}

function pureLayer(plan: Plan, figures: Figure[], checks: Check[], raw: Record<string, unknown>): void {
  const reference = existsSync(REFERENCE_FILE) ? (JSON.parse(readFileSync(REFERENCE_FILE, "utf8")) as Record<string, string>) : {};
  const samples = new Map<number, PureSample[]>();
  const floor: PureSample[] = [];
  const cdk8s: PureSample[] = [];
  for (let run = 0; run < plan.runs; run += 1) {
    log(`pure layer, run ${run + 1}/${plan.runs}`);
    for (const count of new Set([...plan.pureCounts, plan.ratioCount])) {
      samples.set(count, [...(samples.get(count) ?? []), child<PureSample>("pure-child.js", ["library", String(count)])]);
      if (count === plan.ratioCount) {
        floor.push(child<PureSample>("pure-child.js", ["floor", String(count)]));
        cdk8s.push(child<PureSample>("pure-child.js", ["cdk8s", String(count)]));
      }
    }
  }
  const library = samples.get(plan.ratioCount) as PureSample[];
  const libraryMs = median(library.map((sample) => sample.ms));
  const n = plan.ratioCount;
  figures.push({ name: `pure: render+validate ${n} instances / yaml floor`, value: libraryMs / median(floor.map((sample) => sample.ms)), target: 1.1, unit: "x" });
  figures.push({ name: `pure: render+validate ${n} instances / cdk8s synth`, value: libraryMs / median(cdk8s.map((sample) => sample.ms)), target: 0.5, unit: "x" });
  figures.push({ name: `pure: peak RSS ${n} instances / yaml floor's`, value: median(library.map((sample) => sample.maxRssKb)) / median(floor.map((sample) => sample.maxRssKb)), unit: "x" });
  for (const path of ["validate", "declarative", "controller", "total", "routes"]) {
    const points = [...samples.entries()].map(([count, list]) => ({ count, ms: median(list.map((sample) => (path === "total" ? sample.ms : (sample.paths?.[path] as number)))) }));
    figures.push({ name: `pure: growth exponent, ${path} (N=${[...samples.keys()].join(",")})`, value: growthExponent(points), target: 1.1, unit: "" });
  }
  // The same inputs give the same bytes in every run, and the bytes the unoptimised code gave.
  for (const [count, list] of samples) {
    const digests = new Set(list.map((sample) => `${sample.digest}/${sample.routesDigest}`));
    const digest = `${list[0]?.digest}/${list[0]?.routesDigest}`;
    if (plan.recordReference) reference[String(count)] = digest;
    const expected = reference[String(count)];
    checks.push({
      name: `pure: output of ${count} instances byte-identical to the unoptimised code's`,
      pass: digests.size === 1 && expected === digest,
      detail: digests.size !== 1 ? "runs differ" : expected === undefined ? "no reference digest recorded for this N" : expected === digest ? `sha256 ${digest.slice(0, 16)}...` : `sha256 ${digest.slice(0, 16)}... != reference ${expected.slice(0, 16)}...`,
    });
  }
  if (plan.recordReference) writeFileSync(REFERENCE_FILE, `${JSON.stringify(Object.fromEntries(Object.entries(reference).sort(([a], [b]) => Number(a) - Number(b))), null, 2)}\n`);
  raw.pure = { library: Object.fromEntries(samples), floor, cdk8s };
}

function componentLayer(plan: Plan, figures: Figure[], raw: Record<string, unknown>): void {
  const dir = mkdtempSync(join(tmpdir(), "kong-plugins-bench-mocks-"));
  try {
    for (const configuration of ["declarative", "controller"]) {
      const samples = new Map<number, MocksSample[]>();
      const baseline: MocksSample[] = [];
      const baselineWithState: MocksSample[] = [];
      for (let run = 0; run < plan.runs; run += 1) {
        log(`component layer (${configuration}), run ${run + 1}/${plan.runs}`);
        for (const count of new Set([...plan.mocksCounts, plan.ratioCount])) {
          const file = join(dir, `${configuration}-${count}.json`);
          samples.set(count, [...(samples.get(count) ?? []), child<MocksSample>("mocks-child.js", ["library", configuration, String(count), file])]);
          if (count === plan.ratioCount) {
            baseline.push(child<MocksSample>("mocks-child.js", ["sdk", configuration, String(count), file]));
            baselineWithState.push(child<MocksSample>("mocks-child.js", ["sdk-state", configuration, String(count), file]));
          }
        }
      }
      const library = samples.get(plan.ratioCount) as MocksSample[];
      const n = plan.ratioCount;
      const resources = library[0]?.resources;
      figures.push({ name: `components (${configuration}): ${n} instances, ${resources} resources / plain SDK resources`, value: median(library.map((s) => s.ms)) / median(baseline.map((s) => s.ms)), target: 1.3, unit: "x" });
      figures.push({ name: `components (${configuration}): peak RSS ${n} instances / plain SDK resources'`, value: median(library.map((s) => s.maxRssKb)) / median(baseline.map((s) => s.maxRssKb)), target: 1.2, unit: "x" });
      // For information: the SDK's cost of the same resources when its components also keep the
      // state the library's components register (their outputs, as plain values).
      figures.push({ name: `components (${configuration}): ${n} instances / plain SDK resources with the same component state`, value: median(library.map((s) => s.ms)) / median(baselineWithState.map((s) => s.ms)), unit: "x" });
      figures.push({ name: `components (${configuration}): peak RSS / plain SDK resources' with the same component state`, value: median(library.map((s) => s.maxRssKb)) / median(baselineWithState.map((s) => s.maxRssKb)), unit: "x" });
      const points = [...samples.entries()].map(([count, list]) => ({ count, ms: median(list.map((sample) => sample.ms)) }));
      figures.push({ name: `components (${configuration}): growth exponent (N=${[...samples.keys()].join(",")})`, value: growthExponent(points), target: 1.1, unit: "" });
      raw[`components-${configuration}`] = { library: Object.fromEntries(samples), baseline, baselineWithState };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function cliLayer(plan: Plan, figures: Figure[], checks: Check[], raw: Record<string, unknown>): void {
  const work = mkdtempSync(join(tmpdir(), "kong-plugins-bench-cli-"));
  // Inside the package, so that the program imports it by its name, as a user's program does.
  const program = writeCliProgram(join(ROOT, "bench", ".generated", `program-${plan.cliCount}`), plan.cliCount, join(DIST, "bench", "fixture"));
  try {
    const floor: ReturnType<typeof timedNode>[] = [];
    const quickstart: ReturnType<typeof timedNode>[] = [];
    const generated: ReturnType<typeof timedNode>[] = [];
    for (let run = 0; run < plan.runs; run += 1) {
      log(`CLI, run ${run + 1}/${plan.runs}`);
      floor.push(timedNode(["-e", 'require("@pulumi/pulumi")'], ROOT));
      quickstart.push(timedNode([CLI, "preview", ".", "--out", join(work, `quickstart-${run}`)], ROOT));
      generated.push(timedNode([CLI, "preview", program, "--out", join(work, `generated-${run}`)], ROOT));
    }
    for (const [what, list] of [["quickstart", quickstart], [`${plan.cliCount} instances`, generated]] as const) {
      const failed = list.find((run) => run.status !== 0);
      if (failed) throw new Error(`kong-plugins preview of the ${what} failed:\n${failed.output}`);
    }
    const floorMs = median(floor.map((run) => run.ms));
    figures.push({ name: "CLI: preview of the quickstart / node+SDK floor", value: median(quickstart.map((run) => run.ms)) / floorMs, target: 1.2, unit: "x" });
    figures.push({ name: `CLI: preview of ${plan.cliCount} instances / node+SDK floor`, value: median(generated.map((run) => run.ms)) / floorMs, target: 2, unit: "x" });
    figures.push({ name: "CLI: peak RSS, quickstart / node+SDK floor's", value: median(quickstart.map((run) => run.maxRssKb)) / median(floor.map((run) => run.maxRssKb)), unit: "x" });
    figures.push({ name: `CLI: peak RSS, ${plan.cliCount} instances / node+SDK floor's`, value: median(generated.map((run) => run.maxRssKb)) / median(floor.map((run) => run.maxRssKb)), unit: "x" });
    const strip = ({ output: _output, ...run }: ReturnType<typeof timedNode>) => run;
    raw.cli = { floor: floor.map(strip), quickstart: quickstart.map(strip), generated: generated.map(strip) };
    // The examples' committed previews, rendered again by this code, byte for byte.
    for (const [example, path] of Object.entries(EXAMPLES)) {
      const run = timedNode([CLI, "preview", path, "--out", `examples/${example}/expected`, "--check"], ROOT);
      checks.push({ name: `examples/${example}: preview byte-identical to examples/${example}/expected`, pass: run.status === 0, detail: run.status === 0 ? "up to date" : run.output.slice(0, 2000) });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function format(figures: readonly Figure[], checks: readonly Check[]): string {
  const width = Math.max(...figures.map((figure) => figure.name.length), ...checks.map((check) => check.name.length));
  const lines = figures.map((figure) => {
    const value = `${figure.value.toFixed(2)}${figure.unit}`.padStart(8);
    const target = figure.target === undefined ? "".padEnd(9) : `<= ${figure.target}${figure.unit}`.padEnd(9);
    const verdict = figure.target === undefined ? "" : figure.value <= figure.target ? "PASS" : "FAIL";
    return `${figure.name.padEnd(width)}  ${value}  ${target}  ${verdict}`;
  });
  for (const check of checks) lines.push(`${check.name.padEnd(width)}  ${check.pass ? "PASS" : "FAIL"}  ${check.pass ? check.detail : check.detail.split("\n")[0]}`);
  return `${lines.join("\n")}\n`;
}

function main(): void {
  const plan = planOf(process.argv.slice(2));
  const figures: Figure[] = [];
  const checks: Check[] = [];
  const raw: Record<string, unknown> = {};
  const started = Date.now();
  // A section that fails (a measurement that crashed) is reported as such; the others still run.
  const section = (name: string, run: () => void) => {
    try {
      run();
    } catch (error) {
      checks.push({ name: `${name}: measured`, pass: false, detail: error instanceof Error ? error.message : String(error) });
      log(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  if (plan.sections.includes("pure")) section("pure layer", () => pureLayer(plan, figures, checks, raw));
  if (plan.sections.includes("components")) section("component layer", () => componentLayer(plan, figures, raw));
  if (plan.sections.includes("cli")) section("CLI", () => cliLayer(plan, figures, checks, raw));
  const table = format(figures, checks);
  process.stdout.write(table);
  const failed = figures.filter((figure) => figure.target !== undefined && figure.value > figure.target).length + checks.filter((check) => !check.pass).length;
  writeFileSync(
    RESULTS_FILE,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: require("node:os").cpus().length, plan, seconds: (Date.now() - started) / 1000, figures, checks, failed, raw }, null, 2)}\n`,
  );
  log(`${failed} target(s) failed; results in ${RESULTS_FILE}`);
  // A figure over its target is a finding; outputs that changed are a defect.
  if (checks.some((check) => !check.pass)) process.exitCode = 1;
}

main();
