/** Counts running jobs per key (a Space or a route) against a limit per key that may change at any time. */
export class Slots {
  private readonly used = new Map<string, number>();

  constructor(private readonly limit: (key: string) => number) {}

  tryAcquire(key: string): boolean {
    const n = this.used.get(key) ?? 0;
    if (n >= Math.max(1, this.limit(key))) return false;
    this.used.set(key, n + 1);
    return true;
  }

  release(key: string): void {
    const n = (this.used.get(key) ?? 0) - 1;
    if (n > 0) this.used.set(key, n);
    else this.used.delete(key);
  }
}
