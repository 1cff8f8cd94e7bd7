/** A fenced TypeScript block of a Markdown file, with the line its code starts on. */
export interface CodeBlock {
  readonly code: string;
  readonly line: number;
}

/** Every ```ts / ```typescript block of a Markdown text, in order. */
export function readmeTypeScriptBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split("\n");
  for (let index = 0; index < lines.length; index += 1) {
    if (!/^```(ts|typescript)\s*$/.test(lines[index] as string)) continue;
    const start = index + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end] as string)) end += 1;
    blocks.push({ code: `${lines.slice(start, end).join("\n")}\n`, line: start + 1 });
    index = end;
  }
  return blocks;
}
