import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { LogLine } from '../../../main/contract/types';

const ROW_HEIGHT = 20;

/**
 * Log lines in a virtual list: only the rows on screen exist in the page, so 100,000 lines scroll
 * as smoothly as 100. With `follow`, the view stays at the newest line while the user is there.
 */
export function LogView({
  lines,
  version,
  follow,
  onSelect,
}: {
  lines: LogLine[];
  version: number;
  follow: boolean;
  onSelect?: (line: LogLine) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  // The console is not compiled with the React Compiler, which is what this rule guards.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });

  // Where the view last scrolled itself: a scroll event that lands there is not the user's.
  const followedTo = useRef<number>(-1);

  // Rows have one fixed height, so the end of the list is simply the bottom of the scroller.
  useEffect(() => {
    const element = scroller.current;
    if (!follow || !atBottom.current || !element) return;
    element.scrollTop = element.scrollHeight;
    followedTo.current = element.scrollTop;
  }, [follow, version, lines.length]);

  const onScroll = (): void => {
    const element = scroller.current;
    // Lines may arrive between the view's own scroll and its event; that scroll keeps following.
    if (!element || element.scrollTop === followedTo.current) return;
    atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < ROW_HEIGHT * 2;
  };

  return (
    <div className="log-view" ref={scroller} onScroll={onScroll} data-testid="log-view" data-line-count={lines.length}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const line = lines[item.index]!;
          return (
            <div
              key={item.key}
              className={`log-line ${line.kind}`}
              style={{ position: 'absolute', top: 0, left: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              onClick={() => onSelect?.(line)}
              title="Show the whole event"
              data-testid="log-line"
            >
              <span className="log-time">{line.timestamp.slice(11, 23)}</span>
              <span className="log-message">{line.message.replace(/\r?\n/g, ' ⏎ ')}</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
