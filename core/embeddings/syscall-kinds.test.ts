import { describe, expect, it } from 'vitest';
import { SYSCALL_GROUPS, SYSCALL_KINDS, knownSyscalls, syscallKind } from './syscall-kinds.ts';

describe('syscallKind', () => {
  it('puts common calls in the kind a reader of a trace expects', () => {
    const expected: Record<string, string> = {
      read: 'file', write: 'file', openat: 'file', close: 'file', newfstatat: 'file', getdents64: 'file', fcntl: 'file',
      ioctl: 'file', pread64: 'file', lseek: 'file', statx: 'file', readlinkat: 'file',
      sendto: 'network', recvfrom: 'network', socket: 'network', connect: 'network', accept4: 'network', sendmsg: 'network',
      mmap: 'memory', munmap: 'memory', mprotect: 'memory', brk: 'memory', madvise: 'memory', mremap: 'memory',
      clone: 'process', clone3: 'process', execve: 'process', wait4: 'process', exit_group: 'process', getpid: 'process',
      prlimit64: 'process', arch_prctl: 'process', sched_getaffinity: 'process', set_tid_address: 'process',
      futex: 'sync', set_robust_list: 'sync', rseq: 'sync',
      epoll_wait: 'io-multiplex', epoll_ctl: 'io-multiplex', poll: 'io-multiplex', ppoll: 'io-multiplex', select: 'io-multiplex', pselect6: 'io-multiplex',
      clock_gettime: 'time', nanosleep: 'time', clock_nanosleep: 'time', gettimeofday: 'time', timerfd_settime: 'time',
      rt_sigaction: 'signal', rt_sigprocmask: 'signal', rt_sigreturn: 'signal', kill: 'signal', tgkill: 'signal',
      pipe2: 'ipc', eventfd2: 'ipc', shmget: 'ipc', semop: 'ipc', mq_open: 'ipc',
      uname: 'system', getrandom: 'system', sysinfo: 'system', mount: 'system',
    };
    for (const [name, kind] of Object.entries(expected)) expect(syscallKind(name), name).toBe(kind);
  });

  it('says other for names it does not know, and for the rare token', () => {
    expect(syscallKind('no_such_call')).toBe('other');
    expect(syscallKind('<rare>')).toBe('other');
    expect(syscallKind('SIGCHLD')).toBe('other');
  });

  it('lists each name in one group only, and covers a few hundred names', () => {
    // A name in two groups would silently take the later one's kind.
    const src = knownSyscalls();
    const listed = Object.values(SYSCALL_GROUPS).reduce((n, g) => n + g.length, 0);
    expect(src.size).toBe(listed);
    expect(src.size).toBeGreaterThan(300);
    for (const k of src.values()) expect(SYSCALL_KINDS).toContain(k);
  });
});
