/*
 * publish.h: the event messages a batch publishes once it has committed.
 *
 * Ingest and control requests of one batch both make events, in the
 * order the log numbers them; they are written (as text) while the batch
 * runs and sent in seq order only after the commit, so no console ever
 * sees a change that could still be rolled back.
 */
#ifndef GL_PUBLISH_H
#define GL_PUBLISH_H

#include <stddef.h>
#include <stdint.h>

struct publish_msg {
	int64_t	 seq;
	char	*text;		/* {"seq":N,"type":...,"case":{...}} */
};

struct publish {
	struct publish_msg	*v;
	size_t			 n, cap;
};

void	publish_init(struct publish *p);
/* Add a message, taking text (freed here when memory runs out). */
void	publish_add(struct publish *p, int64_t seq, char *text);
/* Sort by seq. */
void	publish_sort(struct publish *p);
/* Drop every message (after a rollback, or once sent). */
void	publish_clear(struct publish *p);
void	publish_free(struct publish *p);

#endif
