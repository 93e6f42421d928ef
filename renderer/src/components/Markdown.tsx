import type { ReactNode } from 'react';

/**
 * Renders the small Markdown a lab guide uses (headings, paragraphs, lists, fenced code, inline
 * code, bold and links) as React elements. No HTML from the file reaches the page, so a guide
 * cannot run script in the console.
 */
export function Markdown({ source }: { source: string }) {
  return <div className="markdown">{blocks(source)}</div>;
}

function blocks(source: string): ReactNode[] {
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  const out: ReactNode[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index]!;
    const key = out.length;
    if (line.startsWith('```')) {
      const code: string[] = [];
      index += 1;
      while (index < lines.length && !lines[index]!.startsWith('```')) code.push(lines[index++]!);
      index += 1;
      out.push(
        <pre key={key} className="guide-code">
          {code.join('\n')}
        </pre>,
      );
      continue;
    }
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    if (heading) {
      const level = Math.min(heading[1]!.length + 1, 4);
      const content = inline(heading[2]!);
      out.push(level === 2 ? <h2 key={key}>{content}</h2> : level === 3 ? <h3 key={key}>{content}</h3> : <h4 key={key}>{content}</h4>);
      index += 1;
      continue;
    }
    const listItem = /^\s*([-*]|\d+\.)\s+/;
    if (listItem.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      // A list split by a code block goes on counting from its first number.
      const start = ordered ? Number(/^\s*(\d+)\./.exec(line)![1]) : 1;
      const items: string[] = [];
      while (index < lines.length && listItem.test(lines[index]!)) {
        let item = lines[index]!.replace(listItem, '');
        index += 1;
        // An indented line continues the item above it.
        while (index < lines.length && /^\s{2,}\S/.test(lines[index]!) && !listItem.test(lines[index]!))
          item += ` ${lines[index++]!.trim()}`;
        items.push(item);
      }
      const children = items.map((item, itemIndex) => <li key={itemIndex}>{inline(item)}</li>);
      out.push(
        ordered ? (
          <ol key={key} start={start}>
            {children}
          </ol>
        ) : (
          <ul key={key}>{children}</ul>
        ),
      );
      continue;
    }
    if (line.trim() === '') {
      index += 1;
      continue;
    }
    const paragraph: string[] = [];
    while (index < lines.length && lines[index]!.trim() !== '' && !/^(#{1,4}\s|```|\s*([-*]|\d+\.)\s)/.test(lines[index]!))
      paragraph.push(lines[index++]!.trim());
    out.push(<p key={key}>{inline(paragraph.join(' '))}</p>);
  }
  return out;
}

/** Inline code, bold and links; links inside the console (#/...) navigate, others show their address. */
function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) out.push(text.slice(last, match.index));
    const key = out.length;
    if (match[1] !== undefined) out.push(<code key={key}>{match[1]}</code>);
    else if (match[2] !== undefined) out.push(<strong key={key}>{match[2]}</strong>);
    else if (match[4]!.startsWith('#/'))
      out.push(
        <a key={key} href={match[4]}>
          {match[3]}
        </a>,
      );
    else
      out.push(
        <span key={key}>
          {match[3]} (<code>{match[4]}</code>)
        </span>,
      );
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
