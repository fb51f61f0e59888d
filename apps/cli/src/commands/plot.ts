import type { EvaluationResult } from '@kept/forecast';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * An SVG a manager can read: left, the frontier (keep-rate against median promise, one point per
 * target) with the organization's own point; right, the keep-rate per month against the target.
 */
export function frontierSvg(r: EvaluationResult, title: string): string {
  const W = 960;
  const H = 420;
  const pad = 56;
  const pw = (W - 3 * pad) / 2;
  const ph = H - 2 * pad - 20;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  parts.push(`<text x="${pad}" y="24" font-size="15" font-weight="bold">${esc(`kept evaluate — ${title.split('/').slice(-2).join('/')}`)}</text>`);

  // Frontier.
  const pts = r.frontier.filter((f) => f.keepRate !== null && f.medianPromiseHours !== null).map((f) => ({ x: (f.medianPromiseHours as number) / 24, y: f.keepRate as number, t: f.target }));
  const org = r.org && r.org.medianPromiseHours !== null ? { x: r.org.medianPromiseHours / 24, y: r.org.keepRate } : null;
  const xMax = Math.max(1, ...pts.map((p) => p.x), org ? org.x : 0) * 1.08;
  const yMin = Math.min(0.4, ...pts.map((p) => p.y), org ? org.y : 1);
  const x0 = pad;
  const y0 = pad + 10;
  const sx = (x: number) => x0 + (x / xMax) * pw;
  const sy = (y: number) => y0 + ph - ((y - yMin) / (1 - yMin)) * ph;
  parts.push(`<text x="${x0}" y="${y0 - 8}" font-weight="bold">Keep-rate against median promise</text>`);
  parts.push(`<rect x="${x0}" y="${y0}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
  for (let k = 0; k <= 4; k++) {
    const y = yMin + ((1 - yMin) * k) / 4;
    parts.push(`<text x="${x0 - 6}" y="${sy(y) + 4}" text-anchor="end">${Math.round(y * 100)} %</text>`);
    const x = (xMax * k) / 4;
    parts.push(`<text x="${sx(x)}" y="${y0 + ph + 16}" text-anchor="middle">${x.toFixed(x < 10 ? 1 : 0)} d</text>`);
  }
  parts.push(`<text x="${x0 + pw / 2}" y="${y0 + ph + 32}" text-anchor="middle">median promise (days)</text>`);
  if (pts.length) {
    parts.push(`<polyline fill="none" stroke="#1f6feb" stroke-width="2" points="${pts.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ')}"/>`);
    for (const p of pts) {
      parts.push(`<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3.5" fill="#1f6feb"/>`);
      parts.push(`<text x="${(sx(p.x) + 6).toFixed(1)}" y="${(sy(p.y) + 12).toFixed(1)}" fill="#1f6feb" font-size="10">${Math.round(p.t * 100)}</text>`);
    }
  }
  if (org) {
    parts.push(`<rect x="${(sx(org.x) - 5).toFixed(1)}" y="${(sy(org.y) - 5).toFixed(1)}" width="10" height="10" fill="#d1242f"/>`);
    parts.push(`<text x="${(sx(org.x) + 8).toFixed(1)}" y="${(sy(org.y) - 6).toFixed(1)}" fill="#d1242f">organization</text>`);
  }
  parts.push(`<text x="${x0 + 8}" y="${y0 + 16}" fill="#1f6feb">Kept (labels: target %)</text>`);
  if (r.promiseRatioAtOrgKeep !== null) parts.push(`<text x="${x0 + 8}" y="${y0 + 32}">at the organization's keep-rate: ${r.promiseRatioAtOrgKeep.toFixed(2)}× its median promise</text>`);

  // Monthly keep-rate.
  const mx0 = 2 * pad + pw;
  const ms = r.monthly.filter((m) => m.keepRate !== null);
  const myMin = Math.min(r.target - 0.1, ...ms.map((m) => m.keepRate as number));
  const myMax = Math.min(1, Math.max(r.target + 0.1, ...ms.map((m) => m.keepRate as number)));
  const msy = (y: number) => y0 + ph - ((y - myMin) / (myMax - myMin)) * ph;
  const msx = (i: number) => mx0 + (ms.length <= 1 ? pw / 2 : (i / (ms.length - 1)) * pw);
  parts.push(`<text x="${mx0}" y="${y0 - 8}" font-weight="bold">Keep-rate per month at target ${Math.round(r.target * 100)} %</text>`);
  parts.push(`<rect x="${mx0}" y="${y0}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
  for (let k = 0; k <= 4; k++) {
    const y = myMin + ((myMax - myMin) * k) / 4;
    parts.push(`<text x="${mx0 - 6}" y="${msy(y) + 4}" text-anchor="end">${(y * 100).toFixed(0)} %</text>`);
  }
  parts.push(`<line x1="${mx0}" x2="${mx0 + pw}" y1="${msy(r.target)}" y2="${msy(r.target)}" stroke="#d1242f" stroke-dasharray="6 4"/>`);
  parts.push(`<text x="${mx0 + pw - 4}" y="${msy(r.target) - 6}" text-anchor="end" fill="#d1242f">target</text>`);
  if (ms.length) {
    parts.push(`<polyline fill="none" stroke="#1f6feb" stroke-width="2" points="${ms.map((m, i) => `${msx(i).toFixed(1)},${msy(m.keepRate as number).toFixed(1)}`).join(' ')}"/>`);
    ms.forEach((m, i) => {
      parts.push(`<circle cx="${msx(i).toFixed(1)}" cy="${msy(m.keepRate as number).toFixed(1)}" r="3.5" fill="#1f6feb"/>`);
      parts.push(`<text x="${msx(i).toFixed(1)}" y="${y0 + ph + 16}" text-anchor="middle" font-size="10">${m.month}</text>`);
    });
  }
  parts.push('</svg>');
  return parts.join('\n');
}
