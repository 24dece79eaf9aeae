/*
 * replay.c -- run a fuzz target's LLVMFuzzerTestOneInput over files, without
 * libFuzzer: the regression inputs (tests/fuzz/regress-*) and the seed
 * corpus become an ordinary test that any compiler and valgrind can run.
 * Speaks TAP, one test point per file.
 *
 *	replay-alloc [FILE|DIR...]
 *
 * Without arguments: $top_srcdir/tests/fuzz/regress-TARGET and
 * corpus-TARGET (TARGET is REPLAY_TARGET, set by the Makefile).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***) __attribute__((weak));

static int	n;

static void
replay(const char *path)
{
	FILE	*f = fopen(path, "rb");
	uint8_t	*data = NULL;
	size_t	 len = 0, cap = 0, got;

	if (f == NULL) {
		printf("not ok %d - cannot open %s\n", ++n, path);
		return;
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((data = realloc(data, cap)) == NULL)
				abort();
		}
		got = fread(data + len, 1, cap - len, f);
		len += got;
	} while (got > 0);
	fclose(f);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	printf("ok %d - %s\n", ++n, path);
	fflush(stdout);
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	int	i;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	if (argc == 1) {
		static char	 dirs[2][4096];
		static char	*deflt[3];
		const char	*top = getenv("top_srcdir");

		snprintf(dirs[0], sizeof dirs[0], "%s/tests/fuzz/regress-%s",
		    top ? top : ".", REPLAY_TARGET);
		snprintf(dirs[1], sizeof dirs[1], "%s/tests/fuzz/corpus-%s",
		    top ? top : ".", REPLAY_TARGET);
		deflt[0] = argv[0];
		deflt[1] = dirs[0];
		deflt[2] = dirs[1];
		argc = 3;
		argv = deflt;
	}
	for (i = 1; i < argc; i++) {
		struct stat	 st;
		DIR		*d;
		struct dirent	*e;
		char		**names = NULL;
		size_t		 k = 0, cap = 0, j;

		if (stat(argv[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
			replay(argv[i]);
			continue;
		}
		if ((d = opendir(argv[i])) == NULL)
			continue;
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			if (k == cap) {
				cap = cap ? cap * 2 : 64;
				names = realloc(names, cap * sizeof *names);
				if (names == NULL)
					abort();
			}
			names[k] = malloc(strlen(argv[i]) + strlen(e->d_name) +
			    2);
			if (names[k] == NULL)
				abort();
			sprintf(names[k++], "%s/%s", argv[i], e->d_name);
		}
		closedir(d);
		qsort(names, k, sizeof *names, cmp);
		for (j = 0; j < k; j++) {
			replay(names[j]);
			free(names[j]);
		}
		free(names);
	}
	printf("1..%d\n", n);
	return 0;
}
