/*
 * jscan.c: the strict JSON pull scanner (see jscan.h).
 *
 * A small state machine: `want` says what the grammar allows next (a
 * value, a key or '}', a key, a value or ']', a ',' or the close of the
 * container on top of the stack, or the end of the text), and each call
 * reads white space and one token. Strings take a fast path over bytes
 * that need nothing done (plain ASCII, whole UTF-8 sequences checked with
 * utf8_decode) and hand out a pointer into the text; the first backslash
 * switches to copying into the arena.
 *
 * Numbers: integers are accumulated by hand (overflow makes them reals,
 * where jansson refuses them); reals go through strtod, which follows
 * LC_NUMERIC, so the '.' is swapped for the locale's decimal point first,
 * as jansson does (strconv.c). The console runs in the user's locale.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "jscan.h"
#include "utf8.h"

enum jscan_want {
	W_VALUE,		/* the top, after ':', after ',' in [ */
	W_VALUE_OR_ARR_END,	/* after [ */
	W_KEY_OR_OBJ_END,	/* after { */
	W_KEY,			/* after , in { */
	W_NEXT,			/* after a value in a container: , or close */
	W_DONE			/* after the top value: the end */
};

static void
jscan_setup(struct jscan *s, const char *text, size_t len, size_t off,
    int part)
{
	memset(s, 0, sizeof *s);
	s->text = text;
	s->len = len;
	s->pos = off <= len ? off : len;
	s->want = W_VALUE;
	s->part = part;
}

void
jscan_init(struct jscan *s, const char *text, size_t len)
{
	jscan_setup(s, text, len, 0, 0);
}

void
jscan_init_at(struct jscan *s, const char *text, size_t len, size_t off)
{
	jscan_setup(s, text, len, off, 1);
}

void
jscan_free(struct jscan *s)
{
	free(s->arena);
	s->arena = NULL;
	s->arena_n = 0;
}

int
jscan_error(const struct jscan *s, char *err, size_t errlen)
{
	if (s->tok != JT_ERROR)
		return 0;
	return gl_err(err, errlen, s->code, "offset %zu: %s", s->err_off,
	    s->err);
}

static enum jscan_tok
jscan_fail(struct jscan *s, int code, size_t off, const char *why)
{
	s->tok = JT_ERROR;
	s->code = code;
	s->err_off = off;
	s->err = why;
	return JT_ERROR;
}

static void
jscan_ws(struct jscan *s)
{
	while (s->pos < s->len) {
		char	c = s->text[s->pos];

		if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
			break;
		s->pos++;
	}
}

static int
jscan_hex4(const char *p, uint32_t *out)
{
	uint32_t	v = 0;
	int		i;

	for (i = 0; i < 4; i++) {
		char	c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static size_t
jscan_utf8_put(char *d, uint32_t cp)
{
	if (cp < 0x80) {
		d[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (char)(0xc0 | cp >> 6);
		d[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		d[0] = (char)(0xe0 | cp >> 12);
		d[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		d[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	d[0] = (char)(0xf0 | cp >> 18);
	d[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	d[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	d[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* The escape at s->pos (a backslash) into d (NULL: check only); the
 * bytes written, or -1 after jscan_fail. */
static int
jscan_escape(struct jscan *s, char *d)
{
	const char	*p = s->text + s->pos;
	size_t		 left = s->len - s->pos, at = s->pos;
	uint32_t	 cp, lo;
	char		 c;

	if (left < 2)
		return jscan_fail(s, GL_EPARSE, at, "unterminated string"), -1;
	switch (p[1]) {
	case '"': c = '"'; break;
	case '\\': c = '\\'; break;
	case '/': c = '/'; break;
	case 'b': c = '\b'; break;
	case 'f': c = '\f'; break;
	case 'n': c = '\n'; break;
	case 'r': c = '\r'; break;
	case 't': c = '\t'; break;
	case 'u':
		if (left < 6 || jscan_hex4(p + 2, &cp) != 0)
			return jscan_fail(s, GL_EPARSE, at, "\\u needs four "
			    "hex digits"), -1;
		if (cp >= 0xdc00 && cp <= 0xdfff)
			return jscan_fail(s, GL_EUTF8, at, "lone low "
			    "surrogate"), -1;
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (left < 12 || p[6] != '\\' || p[7] != 'u' ||
			    jscan_hex4(p + 8, &lo) != 0 || lo < 0xdc00 ||
			    lo > 0xdfff)
				return jscan_fail(s, GL_EUTF8, at, "high "
				    "surrogate without its low half"), -1;
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			s->pos += 6;
		}
		if (cp == 0)
			return jscan_fail(s, GL_EPARSE, at, "\\u0000 in a "
			    "string"), -1;
		s->pos += 6;
		return d != NULL ? (int)jscan_utf8_put(d, cp) : 0;
	default:
		return jscan_fail(s, GL_EPARSE, at, "unknown escape"), -1;
	}
	s->pos += 2;
	if (d != NULL)
		*d = c;
	return 1;
}

/* Bytes a string holds as they are, with nothing to check: printable
 * ASCII but '"' and '\\'. */
static const unsigned char jscan_plain_ascii[256] = {
	['\x20'] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['0'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['@'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['P'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	['`'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['p'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* The length of the valid UTF-8 sequence at p (left bytes, p[0] >=
 * 0x80), or 0. Two- and three-byte sequences whose lead byte rules out
 * overlongs and surrogates (all of CJK) are checked here; the rest by
 * utf8_decode. */
static size_t
jscan_utf8(const unsigned char *p, size_t left)
{
	uint32_t	cp;

	if (p[0] >= 0xc2 && p[0] <= 0xdf && left >= 2 &&
	    (p[1] & 0xc0) == 0x80)
		return 2;
	if (p[0] >= 0xe1 && p[0] <= 0xef && p[0] != 0xed && left >= 3 &&
	    (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80)
		return 3;
	return utf8_decode((const char *)p, left, &cp);
}

/* One byte or UTF-8 sequence of a string's text at s->pos: its length, or
 * 0 at the closing quote or a backslash, or -1 after jscan_fail. */
static int
jscan_plain(struct jscan *s)
{
	unsigned char	c = (unsigned char)s->text[s->pos];
	size_t		n;

	if (c == '"' || c == '\\')
		return 0;
	if (c < 0x20)
		return jscan_fail(s, GL_EPARSE, s->pos, "control character "
		    "in a string"), -1;
	if (c < 0x80)
		return 1;
	if ((n = jscan_utf8((const unsigned char *)s->text + s->pos,
	    s->len - s->pos)) == 0)
		return jscan_fail(s, GL_EUTF8, s->pos, "not UTF-8"), -1;
	return (int)n;
}

/* The rest of a string with escapes, from s->pos, copied from start into
 * the arena when store (else only checked). */
static enum jscan_tok
jscan_string_slow(struct jscan *s, size_t start, int store,
    enum jscan_tok tok)
{
	char	*d = NULL, *out = NULL;
	int	 k;

	if (store) {
		if (s->arena == NULL &&
		    (s->arena = malloc(s->len + 1)) == NULL)
			return jscan_fail(s, GL_ENOMEM, s->off,
			    "out of memory");
		out = d = s->arena + s->arena_n;
		memcpy(d, s->text + start, s->pos - start);
		d += s->pos - start;
	}
	for (;;) {
		if (s->pos >= s->len)
			return jscan_fail(s, GL_EPARSE, s->off,
			    "unterminated string");
		if ((k = jscan_plain(s)) < 0)
			return JT_ERROR;
		if (k > 0) {
			if (d != NULL) {
				memcpy(d, s->text + s->pos, (size_t)k);
				d += k;
			}
			s->pos += (size_t)k;
			continue;
		}
		if (s->text[s->pos] == '"')
			break;
		if ((k = jscan_escape(s, d)) < 0)
			return JT_ERROR;
		if (d != NULL)
			d += k;
	}
	s->pos++;
	if (store) {
		*d = '\0';
		s->str = out;
		s->n = (size_t)(d - out);
		s->arena_n += s->n + 1;	/* <= the quoted text's length */
	}
	return s->tok = tok;
}

/* A string at s->pos (the opening quote): runs of plain bytes at once,
 * the first backslash to the slow path. */
static enum jscan_tok
jscan_string(struct jscan *s, int store, enum jscan_tok tok)
{
	const unsigned char	*p = (const unsigned char *)s->text;
	size_t			 start = ++s->pos, pos = start, len = s->len;
	size_t			 k;

	for (;;) {
		while (pos < len && jscan_plain_ascii[p[pos]])
			pos++;
		if (pos >= len) {
			s->pos = pos;
			return jscan_fail(s, GL_EPARSE, s->off,
			    "unterminated string");
		}
		if (p[pos] < 0x80)
			break;
		if ((k = jscan_utf8(p + pos, len - pos)) == 0) {
			s->pos = pos;
			return jscan_fail(s, GL_EUTF8, pos, "not UTF-8");
		}
		pos += k;
	}
	s->pos = pos;
	if (p[pos] == '\\')
		return jscan_string_slow(s, start, store, tok);
	if (p[pos] != '"')
		return jscan_fail(s, GL_EPARSE, pos, "control character "
		    "in a string");
	s->str = s->text + start;	/* no escape: the text itself */
	s->n = pos - start;
	s->pos = pos + 1;
	return s->tok = tok;
}

/* Digits from s->pos; how many. */
static size_t
jscan_digits(struct jscan *s)
{
	size_t	n = 0;

	while (s->pos < s->len && s->text[s->pos] >= '0' &&
	    s->text[s->pos] <= '9')
		s->pos++, n++;
	return n;
}

/* A real: strtod with the locale's decimal point in place of '.'. */
static enum jscan_tok
jscan_real(struct jscan *s, const char *p, size_t n)
{
	const char	*dp = localeconv()->decimal_point;
	size_t		 dlen = dp != NULL && dp[0] != '\0' ? strlen(dp) : 1;
	char		 small[96], *buf = small, *dot;
	size_t		 need = n + dlen + 1;

	if (need > sizeof small && (buf = malloc(need)) == NULL)
		return jscan_fail(s, GL_ENOMEM, s->off, "out of memory");
	memcpy(buf, p, n);
	buf[n] = '\0';
	if (dlen != 1 || dp[0] != '.') {
		if ((dot = strchr(buf, '.')) != NULL) {
			memmove(dot + dlen, dot + 1, strlen(dot + 1) + 1);
			memcpy(dot, dp, dlen);
		}
	}
	s->d = strtod(buf, NULL);	/* overflow: +-HUGE_VAL, as jansson */
	if (buf != small)
		free(buf);
	s->is_int = 0;
	s->i = 0;
	return s->tok = JT_NUM;
}

/* A number at s->pos: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static enum jscan_tok
jscan_number(struct jscan *s)
{
	const char	*p = s->text;
	size_t		 start = s->pos, i;
	uint64_t	 u = 0, lim;
	int		 neg = 0, real = 0;

	if (p[s->pos] == '-')
		neg = 1, s->pos++;
	if (s->pos < s->len && p[s->pos] == '0')
		s->pos++;
	else if (jscan_digits(s) == 0)
		return jscan_fail(s, GL_EPARSE, s->pos, "digit expected");
	if (s->pos < s->len && p[s->pos] == '.') {
		s->pos++;
		real = 1;
		if (jscan_digits(s) == 0)
			return jscan_fail(s, GL_EPARSE, s->pos, "digit "
			    "expected after '.'");
	}
	if (s->pos < s->len && (p[s->pos] == 'e' || p[s->pos] == 'E')) {
		s->pos++;
		real = 1;
		if (s->pos < s->len && (p[s->pos] == '+' || p[s->pos] == '-'))
			s->pos++;
		if (jscan_digits(s) == 0)
			return jscan_fail(s, GL_EPARSE, s->pos, "digit "
			    "expected in the exponent");
	}
	if (real)
		return jscan_real(s, p + start, s->pos - start);
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (i = start + (size_t)neg; i < s->pos; i++) {
		unsigned d = (unsigned)(p[i] - '0');

		if (u > (lim - d) / 10)		/* too big for int64_t */
			return jscan_real(s, p + start, s->pos - start);
		u = u * 10 + d;
	}
	s->is_int = 1;
	s->i = neg ? (int64_t)(0 - u) : (int64_t)u;
	s->d = (double)s->i;
	return s->tok = JT_NUM;
}

static enum jscan_tok
jscan_word(struct jscan *s, const char *w, size_t n, enum jscan_tok tok)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (s->pos + i >= s->len || s->text[s->pos + i] != w[i])
			return jscan_fail(s, GL_EPARSE, s->pos + i,
			    s->pos + i >= s->len ? "unexpected end of text" :
			    "value expected");
	s->pos += n;
	return s->tok = tok;
}

static enum jscan_tok
jscan_open(struct jscan *s, char c)
{
	if (s->depth == JSCAN_DEPTH)
		return jscan_fail(s, GL_EPARSE, s->pos, "nested too deep");
	s->stack[s->depth++] = (unsigned char)c;
	s->pos++;
	s->want = c == '{' ? W_KEY_OR_OBJ_END : W_VALUE_OR_ARR_END;
	return s->tok = c == '{' ? JT_OBJ : JT_ARR;
}

/* A value at s->pos; store: decode strings with escapes. */
static enum jscan_tok
jscan_value(struct jscan *s, int store)
{
	char	c = s->text[s->pos];

	s->want = s->depth > 0 ? W_NEXT : W_DONE;
	switch (c) {
	case '{':
	case '[':
		return jscan_open(s, c);
	case '"':
		return jscan_string(s, store, JT_STR);
	case 't':
		return jscan_word(s, "true", 4, JT_TRUE);
	case 'f':
		return jscan_word(s, "false", 5, JT_FALSE);
	case 'n':
		return jscan_word(s, "null", 4, JT_NULL);
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return jscan_number(s);
		return jscan_fail(s, GL_EPARSE, s->pos, "value expected");
	}
}

static enum jscan_tok
jscan_close(struct jscan *s)
{
	char	c = s->text[s->pos];

	s->pos++;
	s->depth--;
	s->want = s->depth > 0 ? W_NEXT : W_DONE;
	return s->tok = c == '}' ? JT_OBJ_END : JT_ARR_END;
}

/* A key at s->pos and the ':' after it. */
static enum jscan_tok
jscan_key(struct jscan *s, int store)
{
	if (s->text[s->pos] != '"')
		return jscan_fail(s, GL_EPARSE, s->pos, "'\"' expected (a "
		    "member's name)");
	if (jscan_string(s, store, JT_KEY) == JT_ERROR)
		return JT_ERROR;
	jscan_ws(s);
	if (s->pos >= s->len || s->text[s->pos] != ':')
		return jscan_fail(s, GL_EPARSE, s->pos, "':' expected");
	s->pos++;
	s->want = W_VALUE;
	return JT_KEY;
}

/* After a value in a container: ',' and what follows it, or the close. */
static enum jscan_tok
jscan_after(struct jscan *s, int store)
{
	char	c = s->text[s->pos], top = (char)s->stack[s->depth - 1];

	if ((c == '}' && top == '{') || (c == ']' && top == '['))
		return jscan_close(s);
	if (c != ',')
		return jscan_fail(s, GL_EPARSE, s->pos, top == '{' ?
		    "',' or '}' expected" : "',' or ']' expected");
	s->pos++;
	jscan_ws(s);
	if (s->pos >= s->len)
		return jscan_fail(s, GL_EPARSE, s->pos,
		    "unexpected end of text");
	return top == '{' ? jscan_key(s, store) : jscan_value(s, store);
}

static enum jscan_tok
jscan_step(struct jscan *s, int store)
{
	if (s->tok == JT_ERROR)
		return JT_ERROR;
	jscan_ws(s);
	s->off = s->pos;
	if (s->want == W_DONE) {
		if (s->pos < s->len && !s->part)
			return jscan_fail(s, GL_EPARSE, s->pos, "text after "
			    "the value");
		return s->tok = JT_END;
	}
	if (s->pos >= s->len)
		return jscan_fail(s, GL_EPARSE, s->pos,
		    "unexpected end of text");
	switch (s->want) {
	case W_VALUE_OR_ARR_END:
		if (s->text[s->pos] == ']')
			return jscan_close(s);
		return jscan_value(s, store);
	case W_KEY_OR_OBJ_END:
		if (s->text[s->pos] == '}')
			return jscan_close(s);
		return jscan_key(s, store);
	case W_KEY:
		return jscan_key(s, store);
	case W_NEXT:
		return jscan_after(s, store);
	default:
		return jscan_value(s, store);
	}
}

enum jscan_tok
jscan_next(struct jscan *s)
{
	return jscan_step(s, 1);
}

int
jscan_skip(struct jscan *s)
{
	int	depth = s->depth;

	if (s->tok == JT_ERROR)
		return s->code;
	if (s->tok != JT_OBJ && s->tok != JT_ARR)
		return 0;
	while (s->depth >= depth)
		if (jscan_step(s, 0) == JT_ERROR)
			return s->code;
	return 0;
}

/* The quote that ends the string whose text starts at i, not one escaped
 * by an odd run of backslashes; its offset, or len. */
static size_t
jscan_quote_end(const char *p, size_t i, size_t len)
{
	const char	*q;
	size_t		 j, bs;

	for (;;) {
		if ((q = memchr(p + i, '"', len - i)) == NULL)
			return len;
		j = (size_t)(q - p);
		for (bs = 0; j - bs > i && p[j - bs - 1] == '\\'; bs++)
			;
		if (bs % 2 == 0)
			return j;
		i = j + 1;
	}
}

int
jscan_skip_loose(struct jscan *s)
{
	const char	*p = s->text;
	size_t		 i = s->pos, len = s->len;
	long		 depth = 1;
	char		 c = 0;

	if (s->tok == JT_ERROR)
		return s->code;
	if (s->tok != JT_OBJ && s->tok != JT_ARR)
		return 0;
	while (i < len && depth > 0) {
		c = p[i++];
		if (c == '"') {
			if ((i = jscan_quote_end(p, i, len)) == len)
				break;
			i++;
		} else if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']')
			depth--;
	}
	if (depth > 0) {
		s->pos = len;
		return jscan_fail(s, GL_EPARSE, len, "unexpected end of text"),
		    s->code;
	}
	s->pos = i;
	s->off = i - 1;
	s->depth--;
	s->want = s->depth > 0 ? W_NEXT : W_DONE;
	s->tok = c == '}' ? JT_OBJ_END : JT_ARR_END;
	return 0;
}
