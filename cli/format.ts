import type { Diagnostic } from '../core/eas';

/** Diagnostics as aligned lines for a terminal, errors first. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const sorted = [...diagnostics].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const codeW = Math.max(0, ...sorted.map((d) => d.code.length));
  const pathW = Math.min(40, Math.max(0, ...sorted.map((d) => d.path.length)));
  return sorted.map((d) => `  ${d.severity.padEnd(7)} ${d.code.padEnd(codeW)}  ${(d.path || '-').padEnd(pathW)}  ${d.message}\n`).join('');
}

/** "2 errors, 1 warning" */
export function countSummary(diagnostics: readonly Diagnostic[]): string {
  const e = diagnostics.filter((d) => d.severity === 'error').length;
  const w = diagnostics.length - e;
  return `${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'}`;
}
