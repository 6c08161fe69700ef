#define _GNU_SOURCE
#include "CProcess.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

int tau_spawn(const char* path, char* const argv[], char* const envp[], const char* cwd,
              pid_t* pid, int* stdin_fd, int* stdout_fd, int* stderr_fd) {
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0) return errno;
  if (pipe2(out, O_CLOEXEC) != 0) {
    int e = errno;
    close(in[0]); close(in[1]);
    return e;
  }
  if (pipe2(err, O_CLOEXEC) != 0) {
    int e = errno;
    close(in[0]); close(in[1]); close(out[0]); close(out[1]);
    return e;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  if (cwd) posix_spawn_file_actions_addchdir_np(&actions, cwd);
  // Descriptors the parent opened without O_CLOEXEC (Foundation's pipes, say)
  // must not leak into workers: a leaked pipe end keeps another child from
  // ever seeing end of file.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);

  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none, all_default;
  sigemptyset(&none);
  sigfillset(&all_default);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &all_default);
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  int status = posix_spawn(pid, path, &actions, &attributes, argv, envp);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (status != 0) {
    close(in[1]);
    close(out[0]);
    close(err[0]);
    return status;
  }
  *stdin_fd = in[1];
  *stdout_fd = out[0];
  *stderr_fd = err[0];
  return 0;
}

int tau_pipe_cloexec(int fds[2]) {
  return pipe2(fds, O_CLOEXEC) == 0 ? 0 : errno;
}
