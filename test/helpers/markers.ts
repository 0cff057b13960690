// Marker scripts for the hostile-repository tests: a program that, if anything ever runs it, leaves
// a line in a marker file outside the repository; the tests assert that file never appears.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class MarkerBox {
  readonly dir = mkdtempSync(join(tmpdir(), 'sr-marker-'));
  readonly file = join(this.dir, 'ran');

  /** Shell text that records "$0 $*" and then copies stdin to stdout (so it also works as a filter). */
  script(tag: string, passThrough = true): string {
    return `#!/bin/sh\necho "${tag} $0 $*" >> '${this.file}'\n${passThrough ? 'cat\n' : ''}exit 0\n`;
  }

  /** Writes the script to a file of its own in the box and returns its path. */
  program(name: string, passThrough = true): string {
    const p = join(this.dir, name);
    writeFileSync(p, this.script(name, passThrough));
    chmodSync(p, 0o755);
    return p;
  }

  /** What ran so far ('' when nothing did). */
  ran(): string {
    return existsSync(this.file) ? readFileSync(this.file, 'utf8') : '';
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
