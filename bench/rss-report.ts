// Preloaded (`node -r`) into a process the bench times but does not write: on exit, writes the
// process's peak RSS in kB to the file named by KONG_PLUGINS_BENCH_RSS_FILE.
import { writeFileSync } from "node:fs";

const file = process.env.KONG_PLUGINS_BENCH_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
