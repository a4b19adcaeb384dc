import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** CPU seconds (user + system) used so far by every process of a process group. */
export function groupCpuSeconds(pgid: number): number {
  const pids = execFileSync('ps', ['-o', 'pid=', '-g', String(pgid)], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  let ticks = 0;
  for (const pid of pids) {
    try {
      // Fields after the command name "(…)": utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${pid.trim()}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // the process just exited
    }
  }
  return ticks / 100; // USER_HZ
}
