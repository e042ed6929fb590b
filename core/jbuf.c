/*
 * jbuf.c: the small JSON writer (see jbuf.h).
 */
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jbuf.h"

void
jbuf_init(struct jbuf *b)
{
	memset(b, 0, sizeof *b);
	b->first = 1;
}

void
jbuf_free(struct jbuf *b)
{
	free(b->p);
	jbuf_init(b);
}

int
jbuf_ok(const struct jbuf *b)
{
	return !b->oom && b->p != NULL;
}

static void
jbuf_put(struct jbuf *b, const char *s, size_t len)
{
	char	*np;
	size_t	 cap;

	if (b->oom)
		return;
	if (b->n + len + 1 > b->cap) {
		cap = b->cap ? b->cap * 2 : 256;
		while (cap < b->n + len + 1)
			cap *= 2;
		if ((np = realloc(b->p, cap)) == NULL) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, len);
	b->n += len;
	b->p[b->n] = '\0';
}

char *
jbuf_take(struct jbuf *b)
{
	char	*p = jbuf_ok(b) ? b->p : NULL;

	if (p == NULL)
		free(b->p);
	jbuf_init(b);
	return p;
}

void
jbuf_raw(struct jbuf *b, const char *s)
{
	jbuf_put(b, s, strlen(s));
}

void
jbuf_open(struct jbuf *b)
{
	jbuf_put(b, "{", 1);
	b->first = 1;
}

void
jbuf_close(struct jbuf *b)
{
	jbuf_put(b, "}", 1);
	b->first = 0;
}

void
jbuf_arr_open(struct jbuf *b)
{
	jbuf_put(b, "[", 1);
	b->first = 1;
}

void
jbuf_arr_close(struct jbuf *b)
{
	jbuf_put(b, "]", 1);
	b->first = 0;
}

void
jbuf_elem(struct jbuf *b)
{
	if (!b->first)
		jbuf_put(b, ",", 1);
	b->first = 0;
}

/* Quoted, escaping only what JSON requires; runs of plain bytes are
 * copied at once. */
void
jbuf_strn(struct jbuf *b, const char *s, size_t len)
{
	char	esc[8];
	size_t	i, run = 0;

	jbuf_put(b, "\"", 1);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c != '"' && c != '\\' && c >= 0x20)
			continue;
		jbuf_put(b, s + run, i - run);
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			jbuf_put(b, esc, 2);
		} else {
			snprintf(esc, sizeof esc, "\\u%04x", c);
			jbuf_put(b, esc, 6);
		}
		run = i + 1;
	}
	jbuf_put(b, s + run, len - run);
	jbuf_put(b, "\"", 1);
}

void
jbuf_str(struct jbuf *b, const char *s)
{
	if (s == NULL)
		jbuf_put(b, "null", 4);
	else
		jbuf_strn(b, s, strlen(s));
}

void
jbuf_int(struct jbuf *b, int64_t v)
{
	char	num[32];

	snprintf(num, sizeof num, "%" PRId64, v);
	jbuf_put(b, num, strlen(num));
}

void
jbuf_key(struct jbuf *b, const char *key)
{
	if (!b->first)
		jbuf_put(b, ",", 1);
	b->first = 0;
	jbuf_str(b, key);
	jbuf_put(b, ":", 1);
}

/* %.17g follows LC_NUMERIC, and the binary sets the user's locale: under
 * de_DE 29.8683 came out as 29,868300000000001, which is not JSON. The
 * locale's decimal point is put back to '.'; NaN and infinity, which JSON
 * has no words for, are null. */
void
jbuf_num(struct jbuf *b, double v)
{
	const char	*dp = localeconv()->decimal_point;
	char		 num[48], *p;
	size_t		 dlen = dp != NULL ? strlen(dp) : 0;

	if (!isfinite(v)) {
		jbuf_null(b);
		return;
	}
	snprintf(num, sizeof num, "%.17g", v);
	if (dlen > 0 && strcmp(dp, ".") != 0 &&
	    (p = strstr(num, dp)) != NULL) {
		*p = '.';
		memmove(p + 1, p + dlen, strlen(p + dlen) + 1);
	}
	jbuf_put(b, num, strlen(num));
}

void
jbuf_bool(struct jbuf *b, int v)
{
	jbuf_put(b, v ? "true" : "false", v ? 4 : 5);
}

void
jbuf_null(struct jbuf *b)
{
	jbuf_put(b, "null", 4);
}
