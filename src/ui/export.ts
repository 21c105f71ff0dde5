// Downloads made in the page: nothing is uploaded anywhere.
import { toSvgString, type SvgNode } from './charts/svg.ts';

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadText(text: string, filename: string, type: string): void {
  downloadBlob(new Blob([text], { type }), filename);
}

export function downloadSvg(node: SvgNode, name: string): void {
  downloadText(toSvgString(node), `${name}.svg`, 'image/svg+xml');
}

/** Rasterises the chart at 2× through an <img> of the SVG (a blob: URL, allowed by the page's policy). */
export async function svgToPng(node: SvgNode, scale = 2): Promise<Blob> {
  const width = Number(node.attrs.width);
  const height = Number(node.attrs.height);
  const url = URL.createObjectURL(new Blob([toSvgString(node)], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser cannot draw to a canvas, so PNG export is unavailable; use SVG');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((ok, fail) =>
      canvas.toBlob((b) => (b ? ok(b) : fail(new Error('PNG encoding failed; use SVG export instead'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

export async function downloadPng(node: SvgNode, name: string): Promise<void> {
  downloadBlob(await svgToPng(node), `${name}.png`);
}
