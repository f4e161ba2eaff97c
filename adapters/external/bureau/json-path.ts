/**
 * The small JSON path subset bureau mappings use: `$` followed by `.name`
 * and `[index]` steps, e.g. `$.data.result[0].score`.
 */

/** Accepted path syntax. */
export const JSON_PATH_PATTERN = /^\$(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d{1,6}\])+$/;

/** Split a valid path into property names and indexes. */
export function parseJsonPath(path: string): (string | number)[] {
  if (!JSON_PATH_PATTERN.test(path)) throw new SyntaxError(`invalid JSON path ${path}: use $.a.b[0].c`);
  const steps: (string | number)[] = [];
  const re = /\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]/g;
  for (const m of path.slice(1).matchAll(re)) steps.push(m[1] !== undefined ? m[1] : Number(m[2]));
  return steps;
}

/** Read the value at `steps`, or undefined when any step is missing. */
export function readJsonPath(value: unknown, steps: readonly (string | number)[]): unknown {
  let cur: unknown = value;
  for (const s of steps) {
    if (typeof s === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[s];
    } else {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
      if (!Object.prototype.hasOwnProperty.call(cur, s)) return undefined;
      cur = (cur as Record<string, unknown>)[s];
    }
  }
  return cur;
}
