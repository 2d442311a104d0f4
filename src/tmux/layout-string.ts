// tmux layout strings (`csum,WxH,X,Y{...}`), as read by `select-layout` and printed by `#{window_layout}`.
// A leaf is `WxH,X,Y,ID`; `{...}` holds cells side by side, `[...]` cells stacked top to bottom.

export interface LayoutCell {
  w: number;
  h: number;
  x: number;
  y: number;
  /** Leaf cells only. tmux ignores the number when applying a layout: it hands cells to panes in window order. */
  paneIndex?: number;
  /** Container cells only: 'lr' = side by side (`{}`), 'tb' = stacked (`[]`). */
  split?: 'lr' | 'tb';
  children?: LayoutCell[];
}

/** The 16-bit checksum of layout-custom.c: rotate right by one, then add the next byte. */
export function layoutChecksum(body: string): number {
  let csum = 0;
  for (const byte of Buffer.from(body, 'utf8')) {
    csum = ((csum >> 1) + ((csum & 1) << 15)) & 0xffff;
    csum = (csum + byte) & 0xffff;
  }
  return csum;
}

export function serializeCell(cell: LayoutCell): string {
  const head = `${cell.w}x${cell.h},${cell.x},${cell.y}`;
  if (!cell.children || cell.children.length === 0) return `${head},${cell.paneIndex ?? 0}`;
  const inner = cell.children.map(serializeCell).join(',');
  return cell.split === 'lr' ? `${head}{${inner}}` : `${head}[${inner}]`;
}

/** The full layout string with its checksum, ready for `select-layout -t @win <string>`. */
export function layoutString(root: LayoutCell): string {
  const body = serializeCell(root);
  return `${layoutChecksum(body).toString(16).padStart(4, '0')},${body}`;
}
