/*
 * model.c -- what is the same for every allocator model: bin labels and
 * state names, read off a model's declarations.  (The list of models is
 * model-list.c, above the models themselves.)
 */
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "out.h"
#include "xmalloc.h"

static const struct model_bin_class *
class_of(const struct model_ops *ops, int cls)
{
	if (cls <= 0 || cls >= ops->nclasses)
		return NULL;
	return &ops->classes[cls];
}

const char *
model_bin_label(const struct model_ops *ops, int cls, int i,
    enum model_label form, const char *none, char *buf, size_t len)
{
	const struct model_bin_class	*c = class_of(ops, cls);

	if (c == NULL)
		strlcopy(buf, form == MODEL_LABEL_SHORT ? none : "no bin", len);
	else if (c->shape != MODEL_BINS_LIST)
		strlcopy(buf, form == MODEL_LABEL_SHORT ? c->key : c->words,
		    len);
	else if (form == MODEL_LABEL_WORDS && c->nbins == 1 &&
	    c->words != NULL)	/* one bin of its kind: "the unsorted bin" */
		strlcopy(buf, c->words, len);
	else if (form == MODEL_LABEL_SHORT)
		buf_snprintf(buf, len, "%s[%d]", c->key, i);
	else
		buf_snprintf(buf, len, "%s %d", c->name, i);
	return buf;
}

/* The words form, for the replies every command builds: no formatter. */
void
model_bin_words(const struct model_ops *ops, int cls, int i, struct buf *b)
{
	const struct model_bin_class	*c = class_of(ops, cls);

	if (c == NULL)
		buf_add_str(b, "no bin");
	else if (c->shape != MODEL_BINS_LIST ||
	    (c->nbins == 1 && c->words != NULL))
		buf_add_str(b, c->words);
	else {
		buf_add_str(b, c->name);
		buf_addc(b, ' ');
		if (i < 0) {
			buf_addc(b, '-');
			buf_add_uint(b, 0 - (uint64_t)(int64_t)i, 10);
		} else
			buf_add_uint(b, (uint64_t)i, 10);
	}
}

int
model_top_class(const struct model_ops *ops)
{
	int	i;

	for (i = 1; i < ops->nclasses; i++)
		if (ops->classes[i].shape == MODEL_BINS_TOP)
			return i;
	return 0;
}

const char *
model_state_name(enum model_chunk_state st)
{
	switch (st) {
	case MODEL_CHUNK_INUSE:
		return "inuse";
	case MODEL_CHUNK_FREE:
		return "free";
	case MODEL_CHUNK_TOP:
		return "top";
	case MODEL_CHUNK_MMAPPED:
		return "mmapped";
	case MODEL_CHUNK_FENCE:
		return "fence";
	case MODEL_CHUNK_DAMAGED:
		return "damaged";
	}
	return "?";
}
