/** A one-line progress bar on a TTY, plain lines (one per phase) otherwise. */
export class ProgressBar {
  private lastPhase = '';
  private readonly tty: boolean;
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.tty = stream.isTTY === true;
  }
  update(phase: string, fraction: number, message?: string): void {
    const pct = Math.round(fraction * 100);
    if (this.tty) {
      const width = 30;
      const full = Math.round(fraction * width);
      const bar = '#'.repeat(full) + '-'.repeat(width - full);
      const text = `[${bar}] ${String(pct).padStart(3)}%  ${phase}${message ? `: ${message}` : ''}`;
      const cols = this.stream.columns ?? 100;
      this.stream.write(`\r${text.slice(0, cols - 1).padEnd(Math.min(cols - 1, 80))}`);
    } else if (phase !== this.lastPhase) {
      this.stream.write(`  ${String(pct).padStart(3)}%  ${phase}\n`);
    }
    this.lastPhase = phase;
  }
  done(): void {
    if (this.tty) this.stream.write('\r' + ' '.repeat(Math.min((this.stream.columns ?? 100) - 1, 80)) + '\r');
  }
}
