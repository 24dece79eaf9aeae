/*
 * can-ptrace.c -- may this process trace a child of its own, the way
 * real mode and `trace` do (PTRACE_TRACEME, then syscall stops)?  Exit 0
 * if so; otherwise exit 1 and say why on stderr.  The tests ask the
 * machine this, not heapviz, before deciding to skip the kernel's side.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(void)
{
	pid_t	pid;
	int	st, stops = 0;

	pid = fork();
	if (pid < 0) {
		perror("can-ptrace: fork");
		return 1;
	}
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0)
			_exit(2);
		raise(SIGSTOP);
		(void)getppid();
		_exit(0);
	}
	for (;;) {
		if (waitpid(pid, &st, 0) < 0) {
			perror("can-ptrace: waitpid");
			return 1;
		}
		if (WIFEXITED(st)) {
			if (WEXITSTATUS(st) == 2) {
				fprintf(stderr, "can-ptrace: PTRACE_TRACEME "
				    "refused\n");
				return 1;
			}
			break;
		}
		if (!WIFSTOPPED(st)) {
			fprintf(stderr, "can-ptrace: the child died\n");
			return 1;
		}
		if (ptrace(PTRACE_SYSCALL, pid, NULL, NULL) != 0) {
			fprintf(stderr, "can-ptrace: PTRACE_SYSCALL: %s\n",
			    strerror(errno));
			kill(pid, SIGKILL);
			return 1;
		}
		stops++;
	}
	if (stops < 2) {
		fprintf(stderr, "can-ptrace: no syscall stops seen\n");
		return 1;
	}
	return 0;
}
