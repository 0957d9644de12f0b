/**
 * Preloaded with `node --import` into a benchmarked child process: on exit, writes the process's
 * CPU time (all threads, user + system, µs) to stderr as `CPU_USAGE_US <n>`, so a benchmark can
 * quote spans per CPU-second, which a shared machine's load distorts far less than wall time.
 */
process.on('exit', () => {
  const u = process.cpuUsage();
  process.stderr.write(`\nCPU_USAGE_US ${u.user + u.system}\n`);
});
