/*
 * model-list.c -- the allocator models heapviz knows, the default first.
 * A new model is one line here and its own model-NAME.c.
 */
#include <string.h>

#include "model.h"

const struct model_ops *const model_list[] = {
	&model_dlmalloc,
	&model_glibc,
	NULL,
};

const struct model_ops *
model_find(const char *name)
{
	size_t	i;

	for (i = 0; model_list[i] != NULL; i++)
		if (strcmp(model_list[i]->short_name, name) == 0 ||
		    strcmp(model_list[i]->name, name) == 0)
			return model_list[i];
	return NULL;
}

