// Charts are pure functions (data, options) -> SvgNode: a small tree that serialises to SVG text (snapshot
// tests, SVG export) and mounts as real DOM (createElementNS + text nodes, so no markup is ever parsed
// and every label stays text). D3 supplies scales, ticks, shapes and formats; interaction lives in the view.

export type Attr = string | number;

export interface SvgNode {
  tag: string;
  attrs: Record<string, Attr>;
  children: (SvgNode | string)[];
}

export const SVG_NS = 'http://www.w3.org/2000/svg';

/** Builds a node; `null`/`false` children are skipped so charts can write `cond && h(...)`. */
export function h(tag: string, attrs: Record<string, Attr | undefined | null> = {}, ...children: Child[]): SvgNode {
  const clean: Record<string, Attr> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) clean[k] = v;
  const kids: (SvgNode | string)[] = [];
  for (const c of children.flat(2) as (SvgNode | string | number | false | null | undefined)[]) {
    if (c === null || c === undefined || c === false) continue;
    kids.push(typeof c === 'number' ? String(c) : c);
  }
  return { tag, attrs: clean, children: kids };
}

type Leaf = SvgNode | string | number | false | null | undefined;
export type Child = Leaf | Leaf[] | Leaf[][];

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Rounds coordinates so snapshots are stable and files small. */
export function fmtNum(v: Attr): string {
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return String(v);
  return String(Math.round(v * 100) / 100);
}

/** SVG text; the root gets the namespace so the result is a valid standalone file. */
export function toSvgString(node: SvgNode, root = true): string {
  const attrs = { ...(root && node.tag === 'svg' ? { xmlns: SVG_NS } : {}), ...node.attrs };
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(fmtNum(v))}"`)
    .join('');
  if (node.children.length === 0) return `<${node.tag}${a}/>`;
  const body = node.children.map((c) => (typeof c === 'string' ? escapeXml(c) : toSvgString(c, false))).join('');
  return `<${node.tag}${a}>${body}</${node.tag}>`;
}

/** Real DOM for the tree. Text goes in as text nodes: a label can never become markup. */
export function toDom(node: SvgNode, doc: Document = document): SVGElement {
  const el = doc.createElementNS(SVG_NS, node.tag) as SVGElement;
  for (const [k, v] of Object.entries(node.attrs)) el.setAttribute(k, fmtNum(v));
  for (const c of node.children) el.appendChild(typeof c === 'string' ? doc.createTextNode(c) : toDom(c, doc));
  return el;
}

/** Finds nodes by a predicate (tests, hit lookups). */
export function findAll(node: SvgNode, pred: (n: SvgNode) => boolean, out: SvgNode[] = []): SvgNode[] {
  if (pred(node)) out.push(node);
  for (const c of node.children) if (typeof c !== 'string') findAll(c, pred, out);
  return out;
}

/** All text in the tree, in order. */
export function textOf(node: SvgNode): string {
  return node.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}
