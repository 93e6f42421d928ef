import type { Reporter, TestModule } from 'vitest/node';

/** Prints how many tests ran against the real Docker engine, so a run that skipped them shows it. */
export default class DockerCountReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0, pending: 0 };
    for (const module of testModules) {
      if (module.project.name !== 'docker') continue;
      for (const test of module.children.allTests()) counts[test.result().state] += 1;
    }
    const total = counts.passed + counts.failed + counts.skipped + counts.pending;
    if (total === 0) return;
    process.stdout.write(
      `\nDocker-backed tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped + counts.pending} skipped, against the real Docker engine.\n`,
    );
  }
}
