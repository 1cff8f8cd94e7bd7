// Imported first by the command: the commands that load plugins start the Lua runtime's worker
// before the Pulumi SDK and the components are loaded, so that its WebAssembly compiles on the
// other core meanwhile instead of after them (issue 18: the CLI's time over Node and the SDK).
import { startLuaRuntime } from "../components/lua/runtime";

if (["preview", "package", "schema", "types"].includes(process.argv[2] ?? "")) startLuaRuntime();
