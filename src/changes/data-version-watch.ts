/**
 * Watches SQLite's data_version, which moves on every commit by any connection of any process, and says when it
 * moved. Polled only while someone waits on it: a read of it is two lock calls, cheap, but not free at 20 a second
 * for ever.
 */
export class DataVersionWatch {
  readonly #dataVersion: () => number;
  readonly #pollMs: number;
  readonly #onMove: () => void;
  readonly #log: (message: string) => void;
  #timer: NodeJS.Timeout | undefined;
  #version: number | undefined;
  #failing = false;

  constructor(options: { dataVersion: () => number; pollMs: number; onMove: () => void; log: (message: string) => void }) {
    this.#dataVersion = options.dataVersion;
    this.#pollMs = options.pollMs;
    this.#onMove = options.onMove;
    this.#log = options.log;
  }

  /** Polls while `active`. The version is read on starting, so every commit after this call is seen as a move. */
  setActive(active: boolean): void {
    if (active && !this.#timer) {
      this.#version = this.#read();
      this.#timer = setInterval(() => this.#poll(), this.#pollMs);
    } else if (!active && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  #poll(): void {
    const version = this.#read();
    if (version === undefined || version === this.#version) return;
    this.#version = version;
    this.#onMove();
  }

  #read(): number | undefined {
    try {
      const version = this.#dataVersion();
      if (this.#failing) this.#log('change signal: SQLite data_version readable again');
      this.#failing = false;
      return version;
    } catch (error) {
      // Said once, not 20 times a second; reported as a move, in case the feed can still be read.
      if (!this.#failing) this.#log(`change signal: cannot read SQLite data_version (${error instanceof Error ? error.message : String(error)})`);
      this.#failing = true;
      this.#onMove();
      return undefined;
    }
  }
}
