/*
 * jbuf.h: a growing buffer for writing small JSON objects.
 *
 * core/ may not use jansson (it depends on libc and SQLite only), yet the
 * event log stores each change's before/after as a JSON object, so core has
 * this writer. The server writes its hot messages with it too (an event per
 * new case, the ingest replies, snapshot pages): building a jansson tree
 * only to dump it was a quarter of the server's time under load. Errors
 * (out of memory) are sticky: check jbuf_ok once at the end. Strings are
 * written as given: the caller passes valid UTF-8.
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

/* The text, now the caller's (free it); b is empty again. NULL when
 * memory ran out or nothing was written. */
char	*jbuf_take(struct jbuf *b);

void	jbuf_raw(struct jbuf *b, const char *s);	/* as is */
void	jbuf_rawn(struct jbuf *b, const char *s, size_t len);
void	jbuf_open(struct jbuf *b);			/* { */
void	jbuf_close(struct jbuf *b);			/* } */
void	jbuf_arr_open(struct jbuf *b);			/* [ */
void	jbuf_arr_close(struct jbuf *b);			/* ] */
void	jbuf_elem(struct jbuf *b);	/* before an array element: comma */
void	jbuf_str(struct jbuf *b, const char *s);	/* quoted; NULL: null */
void	jbuf_strn(struct jbuf *b, const char *s, size_t len);
void	jbuf_int(struct jbuf *b, int64_t v);
void	jbuf_num(struct jbuf *b, double v);	/* %.17g, '.' in any locale;
						   null when not finite */
void	jbuf_bool(struct jbuf *b, int v);
void	jbuf_null(struct jbuf *b);
void	jbuf_key(struct jbuf *b, const char *key);	/* "key": with comma */
void	jbuf_keyn(struct jbuf *b, const char *key, size_t len);
/* A string literal as the key, its length known when compiling. */
#define JBUF_KEY(b, lit)	jbuf_keyn((b), "" lit, sizeof (lit) - 1)

/* The decimal digits of v (with '-') written to end at end, which must
 * have 20 bytes of room before it; returns where they begin. No NUL. */
char	*jbuf_itoa(char *end, int64_t v);

#endif
