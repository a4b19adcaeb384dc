/**
 * Which cache entries read which crossRequestCache keys: a later set or delete of such a key
 * invalidates exactly them, without a scan. The owner adds an entry's keys after storing it and
 * removes them when its cache disposes of the entry, so the index never outgrows the cache.
 */
export class DependencyIndex {
  private readonly byKey = new Map<string, Set<string>>();

  add(entry: string, deps: readonly string[]): void {
    for (const dep of deps) {
      const entries = this.byKey.get(dep);
      if (entries === undefined) this.byKey.set(dep, new Set([entry]));
      else entries.add(entry);
    }
  }

  remove(entry: string, deps: readonly string[]): void {
    for (const dep of deps) {
      const entries = this.byKey.get(dep);
      entries?.delete(entry);
      if (entries?.size === 0) this.byKey.delete(dep);
    }
  }

  /** The entries that read `dep`, copied: the caller deletes entries while it walks them. */
  entriesOf(dep: string): string[] {
    return [...(this.byKey.get(dep) ?? [])];
  }
}
