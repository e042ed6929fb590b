/*
 * jbuf.c: the small JSON writer (see jbuf.h).
 */
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

/* Room for len more bytes and the NUL; 0, or -1 (sticky oom). */
static int
jbuf_room(struct jbuf *b, size_t len)
{
	char	*np;
	size_t	 cap;

	if (b->oom)
		return -1;
	if (b->n + len + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap * 2 : 256;
	while (cap < b->n + len + 1)
		cap *= 2;
	if ((np = realloc(b->p, cap)) == NULL) {
		b->oom = 1;
		return -1;
	}
	b->p = np;
	b->cap = cap;
	return 0;
}

static void
jbuf_put(struct jbuf *b, const char *s, size_t len)
{
	if (jbuf_room(b, len) != 0)
		return;
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

/* Quoted, escaping only what JSON requires. Room for the plain case is
 * made once and the bytes before the first one to escape copied straight
 * in; escapes (rare: text from people) take the slower path from there. */
void
jbuf_strn(struct jbuf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char		 esc[6] = { '\\', 'u', '0', '0', 0, 0 };
	size_t		 i, run;
	char		*d;

	if (jbuf_room(b, len + 2) != 0)
		return;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\' || c < 0x20)
			break;
	}
	d = b->p + b->n;
	*d++ = '"';
	memcpy(d, s, i);
	d += i;
	if (i == len)			/* nothing to escape */
		*d++ = '"';
	*d = '\0';
	b->n = (size_t)(d - b->p);
	if (i == len)
		return;
	for (run = i; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c != '"' && c != '\\' && c >= 0x20)
			continue;
		jbuf_put(b, s + run, i - run);
		if (c == '"' || c == '\\') {
			esc[4] = '\\';
			esc[5] = (char)c;
			jbuf_put(b, esc + 4, 2);
		} else {
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
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

/* Decimal digits of v ending at end (room for 20 before it); returns
 * where they start. By hand: snprintf's machinery (vfprintf, the stream
 * setup) was a fifth of a snapshot page's time on the server. */
char *
jbuf_itoa(char *end, int64_t v)
{
	uint64_t	u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	char		*p = end;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	return p;
}

void
jbuf_int(struct jbuf *b, int64_t v)
{
	char	num[24], *p = jbuf_itoa(num + sizeof num, v);

	jbuf_put(b, p, (size_t)(num + sizeof num - p));
}

void
jbuf_rawn(struct jbuf *b, const char *s, size_t len)
{
	jbuf_put(b, s, len);
}

/* Every key gridline writes is a plain literal: then ,"key": goes in
 * with one copy. One that needs escaping is quoted as a string is. */
void
jbuf_keyn(struct jbuf *b, const char *key, size_t len)
{
	size_t	 i;
	char	*d;

	for (i = 0; i < len; i++)
		if (key[i] == '"' || key[i] == '\\' ||
		    (unsigned char)key[i] < 0x20)
			break;
	if (i < len) {
		if (!b->first)
			jbuf_put(b, ",", 1);
		b->first = 0;
		jbuf_strn(b, key, len);
		jbuf_put(b, ":", 1);
		return;
	}
	if (jbuf_room(b, len + 4) != 0)
		return;
	d = b->p + b->n;
	if (!b->first)
		*d++ = ',';
	b->first = 0;
	*d++ = '"';
	memcpy(d, key, len);
	d += len;
	*d++ = '"';
	*d++ = ':';
	*d = '\0';
	b->n = (size_t)(d - b->p);
}

void
jbuf_key(struct jbuf *b, const char *key)
{
	jbuf_keyn(b, key, strlen(key));
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
