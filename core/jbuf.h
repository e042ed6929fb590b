/*
 * jbuf.h: a growing buffer for writing small JSON objects.
 *
 * core/ may not use jansson (it depends on libc and SQLite only), yet the
 * event log stores each change's before/after as a JSON object, so core has
 * this writer for flat objects. Errors (out of memory) are sticky: check
 * jbuf_ok once at the end.
 */
#ifndef GL_JBUF_H
#define GL_JBUF_H

#include <stddef.h>
#include <stdint.h>

struct jbuf {
	char	*p;		/* NUL-terminated text, owned */
	size_t	 n, cap;
	int	 oom;
	int	 first;		/* no member written yet at this level */
};

void	jbuf_init(struct jbuf *b);
void	jbuf_free(struct jbuf *b);
int	jbuf_ok(const struct jbuf *b);

void	jbuf_raw(struct jbuf *b, const char *s);	/* as is */
void	jbuf_open(struct jbuf *b);			/* { */
void	jbuf_close(struct jbuf *b);			/* } */
void	jbuf_str(struct jbuf *b, const char *s);	/* quoted; NULL: null */
void	jbuf_int(struct jbuf *b, int64_t v);
void	jbuf_key(struct jbuf *b, const char *key);	/* "key": with comma */

#endif
