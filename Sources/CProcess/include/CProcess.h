#ifndef TAU_CPROCESS_H
#define TAU_CPROCESS_H

#include <sys/types.h>

// posix_spawn with the GNU extensions Swift's Glibc module does not expose
// (POSIX_SPAWN_SETSID, addchdir_np, pipe2).

/// Starts `path` in a new session with pipes on fds 0, 1 and 2. `argv` and
/// `envp` end with NULL; `cwd` may be NULL. Returns 0 or an errno value.
int tau_spawn(const char* path, char* const argv[], char* const envp[], const char* cwd,
              pid_t* pid, int* stdin_fd, int* stdout_fd, int* stderr_fd);

/// A pipe whose ends close on exec (pipe2 with O_CLOEXEC). Returns 0 or an errno value.
int tau_pipe_cloexec(int fds[2]);

#endif
