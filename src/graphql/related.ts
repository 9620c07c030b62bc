/**
 * For list fields backed by an id query (story → source ids): the rows through the request's
 * loader for that type, so rows already loaded elsewhere in the query are not read again.
 */
export async function loadRelated<Row>(
  parentIds: readonly number[],
  idsByParent: ReadonlyMap<number, readonly number[]>,
  loader: { loadMany(ids: readonly number[]): Promise<(Row | Error | null)[]> },
  compare?: (x: Row, y: Row) => number,
): Promise<Row[][]> {
  const all = [...new Set([...idsByParent.values()].flat())];
  const loaded = await loader.loadMany(all);
  const byId = new Map<number, Row>();
  all.forEach((id, i) => {
    const row = loaded[i];
    if (row instanceof Error) throw row;
    if (row) byId.set(id, row);
  });
  return parentIds.map((id) => {
    const rows = (idsByParent.get(id) ?? []).map((other) => byId.get(other)).filter((row) => row !== undefined);
    return compare ? rows.sort(compare) : rows;
  });
}
