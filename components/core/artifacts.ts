/**
 * What a component rendered, as files, for an offline preview (`kong-plugins preview`) to
 * write out. `files` is an output (or promise) of a map from relative path to content; it holds
 * only what may be shown (secret values already replaced by `[secret]`).
 */
export interface ArtifactReport {
  /** The component's type token, e.g. `kong-plugins:index:ComposeStack`. */
  readonly type: string;
  /** The component's resource name. */
  readonly name: string;
  /** An output (or promise) of `{ "relative/path": content }`. */
  readonly files: unknown;
}

/** Shared by every copy of the library loaded in one process: a program may load its own. */
const COLLECTOR = Symbol.for("pulumi-kong-plugins.artifact-collector");

type Collector = ArtifactReport[];
type GlobalWithCollector = typeof globalThis & { [COLLECTOR]?: Collector };

/**
 * Reports a component's rendered files to the preview, when one is collecting; otherwise does
 * nothing. Given a function, calls it only then: outside a preview, a component does not
 * render the files no one reads (for N instances, that is N renders of each file).
 */
export function reportArtifacts(report: ArtifactReport | (() => ArtifactReport)): void {
  const collector = (globalThis as GlobalWithCollector)[COLLECTOR];
  if (collector) collector.push(typeof report === "function" ? report() : report);
}

/** Whether an offline preview is collecting reports: then nothing needs writing to disk. */
export function collectingArtifacts(): boolean {
  return (globalThis as GlobalWithCollector)[COLLECTOR] !== undefined;
}

/** Starts collecting reports (the preview calls this before running a program) and returns the list they go to. */
export function collectArtifacts(): ArtifactReport[] {
  const collector: Collector = [];
  (globalThis as GlobalWithCollector)[COLLECTOR] = collector;
  return collector;
}
