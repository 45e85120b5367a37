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
      const barWidth = 30;
      const full = Math.round(fraction * barWidth);
      const bar = '#'.repeat(full) + '-'.repeat(barWidth - full);
      const text = `[${bar}] ${String(pct).padStart(3)}%  ${phase}${message ? `: ${message}` : ''}`;
      const width = this.lineWidth();
      this.stream.write(`\r${text.slice(0, width).padEnd(width)}`);
    } else if (phase !== this.lastPhase) {
      this.stream.write(`  ${String(pct).padStart(3)}%  ${phase}\n`);
    }
    this.lastPhase = phase;
  }
  /** Characters that fit on one line (a pseudo-terminal may report 0 columns). */
  private lineWidth(): number {
    const cols = this.stream.columns;
    return Math.max(20, Math.min(80, (cols !== undefined && cols > 0 ? cols : 100) - 1));
  }
  /** Shows 100 % (the run is over) and ends the line. */
  done(message = 'done'): void {
    if (this.tty) {
      const width = this.lineWidth();
      this.stream.write(`\r${`[${'#'.repeat(30)}] 100%  ${message}`.slice(0, width).padEnd(width)}\n`);
    } else this.stream.write(`  100%  ${message}\n`);
  }
}
