/*
 * engine-sim.c -- the simulated mode: the allocator runs here, in this
 * process, on the simulated address space (memsrc-sim.c), so every
 * address is the same on every machine and every run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "history.h"
#include "session.h"
#include "session-internal.h"

/* A fresh simulated address space with model ops on it. */
static void
sim_heap(struct session *s, const struct model_ops *ops)
{
	s->ms = memsrc_sim_create(s->log);
	if (s->ms == NULL) {
		/* Nothing heapviz can show without it. */
		fprintf(stderr, "heapviz: cannot reserve %llu MiB of address "
		    "space for the simulated heap: %s\n",
		    (unsigned long long)(SIM_HEAP_MAX >> 20), strerror(errno));
		exit(1);
	}
	s->model_ops = ops;
	s->m = ops->create(s->ms);
	s->m->ops->set_hook(s->m, history_on_decision, s);
}

static int
sim_start(struct session *s, bool aslr, char *err, size_t errlen,
    char *note, size_t notelen)
{
	(void)aslr;
	(void)err;
	(void)errlen;
	(void)note;
	(void)notelen;
	sim_heap(s, s->model_ops);
	s->hist = history_create();
	/* Step 0, the fresh heap: where `reset` and going back start. */
	history_checkpoint(s, 0);
	return 0;
}

static void
sim_heap_free(struct session *s)
{
	s->m->ops->destroy(s->m);
	s->m = NULL;
	memsrc_destroy(s->ms);
	s->ms = NULL;
}

static void
sim_stop(struct session *s)
{
	history_destroy(s->hist);
	s->hist = NULL;
	sim_heap_free(s);
}

/*
 * Another model: the old address space goes first, so that the new one is
 * reserved where the old one was and the model's state lands where a
 * session started on it puts it (the first bytes of the data segment).
 */
static void
sim_remodel(struct session *s, const struct model_ops *ops)
{
	sim_heap_free(s);
	sim_heap(s, ops);
}

static void *
sim_malloc(struct session *s, size_t n)
{
	return s->m->ops->malloc(s->m, n);
}

static void *
sim_calloc(struct session *s, size_t nmemb, size_t size)
{
	return s->m->ops->calloc(s->m, nmemb, size);
}

static void *
sim_realloc(struct session *s, void *p, size_t n)
{
	return s->m->ops->realloc(s->m, p, n);
}

static void *
sim_reallocarray(struct session *s, void *p, size_t nmemb, size_t size)
{
	return s->m->ops->reallocarray(s->m, p, nmemb, size);
}

static int
sim_free(struct session *s, void *p)
{
	return s->m->ops->free(s->m, p);
}

static int
sim_tune(struct session *s, enum session_tunable key, size_t value)
{
	static const enum model_param	param[] = {
		[SESSION_MMAP_THRESHOLD] = MODEL_MMAP_THRESHOLD,
		[SESSION_TRIM_THRESHOLD] = MODEL_TRIM_THRESHOLD,
		[SESSION_CHECKS] = MODEL_CHECKS,
		[SESSION_MXFAST] = MODEL_MXFAST,
		[SESSION_MMAP_MAX] = MODEL_MMAP_MAX,
	};

	return s->m->ops->set_param(s->m, param[key], value);
}

/* Only into memory the simulated address space has mapped. */
static int
sim_poke(struct session *s, uint64_t addr, const void *bytes, size_t len)
{
	char	*host = session_host(s, addr, len);

	if (host == NULL)
		return -1;
	memcpy(host, bytes, len);
	return 0;
}

static void
sim_describe(struct session *s, struct out *out, bool fresh)
{
	(void)s;
	if (fresh)
		out_printf(out, "mode sim: a fresh simulated heap\n");
	else
		out_printf(out, "mode sim: the simulated heap, the same "
		    "addresses on every machine\n");
}

static const char *
sim_script_mode(const struct session *s)
{
	(void)s;
	return "";
}

static void
sim_no_memory(char *why, size_t len)
{
	snprintf(why, len, "the simulated heap may grow to %llu MiB",
	    (unsigned long long)(SIM_HEAP_MAX >> 20));
}

static int
sim_restart(struct session *s, struct out *out)
{
	(void)s;
	out_kprintf(out, OUT_ERROR, "restart: there is no subject to restart "
	    "in simulated mode (`mode real` starts one)\n");
	return -1;
}

const struct engine_ops engine_sim = {
	.name = "sim",
	.caps = ENGINE_LOCAL,
	.start = sim_start,
	.stop = sim_stop,
	.malloc = sim_malloc,
	.calloc = sim_calloc,
	.realloc = sim_realloc,
	.reallocarray = sim_reallocarray,
	.free = sim_free,
	.tune = sim_tune,
	.poke = sim_poke,
	.remodel = sim_remodel,
	.restart = sim_restart,
	.describe = sim_describe,
	.script_mode = sim_script_mode,
	.no_memory = sim_no_memory,
};

const struct engine_ops *
engine_find(const char *name)
{
	static const struct engine_ops *const chosen[] = {
		&engine_sim, &engine_real, NULL
	};
	size_t	i;

	for (i = 0; chosen[i] != NULL; i++)
		if (strcmp(chosen[i]->name, name) == 0)
			return chosen[i];
	return NULL;
}
