/**
 * What a Linux system call is for, so a projection of syscall embeddings can be coloured by kind and a reader
 * can check whether calls of one kind cluster together. Covers the x86_64 and aarch64 tables (aarch64 has only
 * the *at forms of the old path calls; both are listed) plus a few 32-bit names strace prints (mmap2, stat64...).
 */
export const SYSCALL_KINDS = [
  'file',
  'network',
  'memory',
  'process',
  'time',
  'ipc',
  'signal',
  'sync',
  'io-multiplex',
  'system',
  'other',
] as const;
export type SyscallKind = (typeof SYSCALL_KINDS)[number];

/** Words for a legend. */
export const SYSCALL_KIND_LABELS: Record<SyscallKind, string> = {
  file: 'file & fd I/O',
  network: 'network (sockets)',
  memory: 'memory',
  process: 'process & thread',
  time: 'time & timers',
  ipc: 'IPC (pipes, SysV, mqueue, eventfd)',
  signal: 'signals',
  sync: 'synchronisation (futex, rseq)',
  'io-multiplex': 'I/O multiplexing (poll, epoll, select)',
  system: 'system / info',
  other: 'other',
};

// Grouped as the man pages (section 2) group them. A call that touches two kinds goes where a reader of a
// trace would look for it first: sendfile/splice move file data (file); eventfd/pipe connect processes (ipc);
// set_robust_list and rseq exist for user-space locking (sync); alarm and *itimer arm timers (time).
export const SYSCALL_GROUPS: Record<Exclude<SyscallKind, 'other'>, readonly string[]> = {
  file: [
    'read', 'write', 'open', 'openat', 'openat2', 'creat', 'close', 'close_range', 'lseek', '_llseek', 'llseek',
    'pread64', 'pwrite64', 'readv', 'writev', 'preadv', 'pwritev', 'preadv2', 'pwritev2',
    'stat', 'fstat', 'lstat', 'newfstatat', 'fstatat64', 'stat64', 'fstat64', 'lstat64', 'statx', 'newstat', 'newfstat', 'newlstat',
    'statfs', 'fstatfs', 'statfs64', 'fstatfs64', 'access', 'faccessat', 'faccessat2', 'readlink', 'readlinkat',
    'getdents', 'getdents64', 'readdir', 'mkdir', 'mkdirat', 'rmdir', 'unlink', 'unlinkat', 'rename', 'renameat', 'renameat2',
    'link', 'linkat', 'symlink', 'symlinkat', 'chmod', 'fchmod', 'fchmodat', 'fchmodat2', 'chown', 'fchown', 'lchown',
    'fchownat', 'chown32', 'fchown32', 'lchown32', 'truncate', 'ftruncate', 'truncate64', 'ftruncate64',
    'fsync', 'fdatasync', 'sync', 'syncfs', 'sync_file_range', 'sync_file_range2', 'fallocate', 'fadvise64', 'fadvise64_64',
    'arm_fadvise64_64', 'readahead', 'sendfile', 'sendfile64', 'copy_file_range', 'splice', 'tee', 'vmsplice',
    'dup', 'dup2', 'dup3', 'fcntl', 'fcntl64', 'ioctl', 'flock', 'chdir', 'fchdir', 'getcwd', 'chroot', 'mknod', 'mknodat',
    'utime', 'utimes', 'utimensat', 'futimesat', 'getxattr', 'lgetxattr', 'fgetxattr', 'setxattr', 'lsetxattr', 'fsetxattr',
    'listxattr', 'llistxattr', 'flistxattr', 'removexattr', 'lremovexattr', 'fremovexattr', 'getxattrat', 'setxattrat',
    'listxattrat', 'removexattrat', 'umask', 'name_to_handle_at', 'open_by_handle_at', 'open_tree', 'move_mount',
    'fsopen', 'fsconfig', 'fsmount', 'fspick', 'mount_setattr', 'inotify_init', 'inotify_init1', 'inotify_add_watch',
    'inotify_rm_watch', 'fanotify_init', 'fanotify_mark', 'io_setup', 'io_destroy', 'io_submit', 'io_getevents',
    'io_pgetevents', 'io_cancel', 'io_uring_setup', 'io_uring_enter', 'io_uring_register', 'cachestat', 'file_getattr', 'file_setattr',
  ],
  network: [
    'socket', 'socketpair', 'bind', 'listen', 'accept', 'accept4', 'connect', 'getsockname', 'getpeername',
    'sendto', 'recvfrom', 'send', 'recv', 'sendmsg', 'recvmsg', 'sendmmsg', 'recvmmsg', 'shutdown', 'setsockopt',
    'getsockopt', 'socketcall',
  ],
  memory: [
    'brk', 'mmap', 'mmap2', 'old_mmap', 'munmap', 'mremap', 'mprotect', 'pkey_mprotect', 'pkey_alloc', 'pkey_free',
    'madvise', 'process_madvise', 'process_mrelease', 'mlock', 'mlock2', 'munlock', 'mlockall', 'munlockall', 'mincore',
    'msync', 'remap_file_pages', 'mbind', 'get_mempolicy', 'set_mempolicy', 'set_mempolicy_home_node', 'migrate_pages',
    'move_pages', 'memfd_create', 'memfd_secret', 'userfaultfd', 'process_vm_readv', 'process_vm_writev',
    'map_shadow_stack', 'mseal', 'cacheflush', 'swapcontext',
  ],
  process: [
    'fork', 'vfork', 'clone', 'clone3', 'execve', 'execveat', 'exit', 'exit_group', 'wait4', 'waitid', 'waitpid',
    'getpid', 'getppid', 'gettid', 'getpgid', 'setpgid', 'getpgrp', 'getsid', 'setsid', 'set_tid_address',
    'getuid', 'geteuid', 'getgid', 'getegid', 'setuid', 'setgid', 'setreuid', 'setregid', 'setresuid', 'getresuid',
    'setresgid', 'getresgid', 'setfsuid', 'setfsgid', 'getgroups', 'setgroups', 'getuid32', 'geteuid32', 'getgid32',
    'getegid32', 'setuid32', 'setgid32', 'setreuid32', 'setregid32', 'setresuid32', 'getresuid32', 'setresgid32',
    'getresgid32', 'setfsuid32', 'setfsgid32', 'getgroups32', 'setgroups32', 'capget', 'capset', 'prctl', 'arch_prctl',
    'personality', 'sched_yield', 'sched_setaffinity', 'sched_getaffinity', 'sched_setscheduler', 'sched_getscheduler',
    'sched_setparam', 'sched_getparam', 'sched_get_priority_max', 'sched_get_priority_min', 'sched_rr_get_interval',
    'sched_setattr', 'sched_getattr', 'getpriority', 'setpriority', 'nice', 'getrlimit', 'setrlimit', 'ugetrlimit',
    'prlimit64', 'getrusage', 'unshare', 'setns', 'seccomp', 'ptrace', 'pidfd_open', 'pidfd_getfd', 'kcmp',
    'ioprio_set', 'ioprio_get', 'landlock_create_ruleset', 'landlock_add_rule', 'landlock_restrict_self',
    'lsm_get_self_attr', 'lsm_set_self_attr', 'lsm_list_modules',
  ],
  time: [
    'time', 'gettimeofday', 'settimeofday', 'clock_gettime', 'clock_settime', 'clock_getres', 'clock_nanosleep',
    'clock_gettime64', 'clock_settime64', 'clock_getres_time64', 'clock_nanosleep_time64', 'clock_adjtime',
    'clock_adjtime64', 'adjtimex', 'nanosleep', 'alarm', 'getitimer', 'setitimer', 'timer_create', 'timer_settime',
    'timer_gettime', 'timer_getoverrun', 'timer_delete', 'timer_settime64', 'timer_gettime64', 'timerfd_create',
    'timerfd_settime', 'timerfd_gettime', 'timerfd_settime64', 'timerfd_gettime64', 'times', 'stime',
  ],
  ipc: [
    'pipe', 'pipe2', 'msgget', 'msgsnd', 'msgrcv', 'msgctl', 'semget', 'semop', 'semtimedop', 'semctl', 'shmget',
    'shmat', 'shmdt', 'shmctl', 'ipc', 'mq_open', 'mq_unlink', 'mq_timedsend', 'mq_timedreceive', 'mq_notify',
    'mq_getsetattr', 'eventfd', 'eventfd2',
  ],
  signal: [
    'kill', 'tkill', 'tgkill', 'rt_sigaction', 'sigaction', 'signal', 'rt_sigprocmask', 'sigprocmask', 'rt_sigreturn',
    'sigreturn', 'rt_sigpending', 'sigpending', 'rt_sigtimedwait', 'rt_sigtimedwait_time64', 'rt_sigqueueinfo',
    'rt_tgsigqueueinfo', 'rt_sigsuspend', 'sigsuspend', 'sigaltstack', 'signalfd', 'signalfd4', 'pause',
    'pidfd_send_signal', 'restart_syscall',
  ],
  sync: [
    'futex', 'futex_time64', 'futex_waitv', 'futex_wake', 'futex_wait', 'futex_requeue', 'set_robust_list',
    'get_robust_list', 'membarrier', 'rseq',
  ],
  'io-multiplex': [
    'select', '_newselect', 'pselect6', 'pselect6_time64', 'poll', 'ppoll', 'ppoll_time64', 'epoll_create',
    'epoll_create1', 'epoll_ctl', 'epoll_wait', 'epoll_pwait', 'epoll_pwait2',
  ],
  system: [
    'uname', 'olduname', 'newuname', 'sysinfo', 'syslog', 'getrandom', 'getcpu', 'sethostname', 'setdomainname',
    'reboot', 'kexec_load', 'kexec_file_load', 'init_module', 'finit_module', 'delete_module', 'bpf',
    'perf_event_open', 'add_key', 'request_key', 'keyctl', 'acct', 'mount', 'umount', 'umount2', 'pivot_root',
    'swapon', 'swapoff', 'quotactl', 'quotactl_fd', 'vhangup', 'lookup_dcookie', 'sysfs', 'ustat', '_sysctl',
    'iopl', 'ioperm', 'modify_ldt', 'vserver', 'nfsservctl', 'uretprobe',
  ],
};

const KIND_OF = new Map<string, SyscallKind>();
for (const [kind, names] of Object.entries(SYSCALL_GROUPS) as [SyscallKind, readonly string[]][]) {
  for (const n of names) KIND_OF.set(n, kind);
}

/** Every name the table knows, with its kind (for tests and for a legend that lists examples). */
export function knownSyscalls(): ReadonlyMap<string, SyscallKind> {
  return KIND_OF;
}

/** The kind of a syscall name; 'other' for names the table does not know (and for '<rare>'). */
export function syscallKind(name: string): SyscallKind {
  return KIND_OF.get(name) ?? 'other';
}
