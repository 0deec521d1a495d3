/** A TypeScript code block of a Markdown file. */
export interface DocBlock {
  /** The Markdown file, relative to the repository root. */
  file: string;
  /** 1-based line of the block's first code line. */
  line: number;
  code: string;
  /** Marked ```ts fragment: a piece that cannot stand alone, not compiled. */
  fragment: boolean;
}

const fence = /^```(ts|typescript)\b(.*)$/;

/** The ```ts / ```typescript blocks of a Markdown text, in order. */
export function docBlocks(markdown: string, file: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = fence.exec(lines[i] ?? '');
    if (!open) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !(lines[end] ?? '').startsWith('```')) end++;
    blocks.push({
      file,
      line: start + 1,
      code: lines.slice(start, end).join('\n'),
      fragment: /\bfragment\b/.test(open[2] ?? ''),
    });
    i = end;
  }
  return blocks;
}

/** A file name for a block that says where it came from: `docs__istio.md__L42.ts`. */
export function blockFileName(block: DocBlock): string {
  return `${block.file.replaceAll('/', '__')}__L${block.line}.ts`;
}
