import { readFileSync } from "node:fs";
import ts from "typescript";

let registered = false;

/**
 * Lets `require` load TypeScript programs, as Pulumi's Node.js runtime does: each `.ts` file
 * is transpiled (types are not checked here; the project's own build checks them).
 */
export function registerTypeScript(): void {
  if (registered) return;
  registered = true;
  const extensions = require.extensions as Record<string, (module: NodeJS.Module & { _compile(code: string, file: string): void }, file: string) => void>;
  extensions[".ts"] = (module, file) => {
    const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
    });
    module._compile(outputText, file);
  };
}
