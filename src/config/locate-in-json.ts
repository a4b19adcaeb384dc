import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';

/**
 * Line and column (1-based) of a JSON path such as `routes[2].contentTemplate` in the config
 * text: the key when the path names a property, else the value; the nearest existing parent
 * when the path does not exist (a missing key points at its object). undefined when the text
 * does not parse.
 */
export function locateInJson(text: string, jsonPath: string): { line: number; column: number } | undefined {
  const tree = parseTree(text);
  if (tree === undefined) return undefined;
  const segments = [...jsonPath.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
  let node: Node | undefined;
  for (let n = segments.length; n >= 0 && node === undefined; n--) node = findNodeAtLocation(tree, segments.slice(0, n));
  if (node === undefined) return undefined;
  const offset = node.parent?.type === 'property' ? node.parent.offset : node.offset;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}
