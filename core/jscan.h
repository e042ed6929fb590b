/*
 * jscan.h: a strict pull scanner for JSON text, with no tree behind it.
 *
 * The console reads 100,000 cases as 51 snapshot pages of about 1.15 MB.
 * jansson built a tree of each page (some 50,000 values) only for the
 * model to copy a few fields out of it and free it: 68 ms a page, most of
 * the console's time. This scanner hands out one token at a time, so the
 * reader copies what it keeps straight from the text. It is jbuf's reading
 * half, in core/ for the same reason (core uses no jansson).
 *
 * Strict RFC 8259: one value with only white space around it; no trailing
 * commas, comments, single quotes, leading zeros, NaN or bare words;
 * strings are valid UTF-8 (core/utf8.c's decoder: no overlongs, no
 * surrogates) with every escape decoded, \u surrogate pairs joined into one
 * four-byte character and a lone surrogate refused. \u0000 is refused too,
 * as jansson refuses it by default: gridline's text never holds NUL
 * (utf8_valid), and readers keep strings as C strings. Nesting is bounded
 * (JSCAN_DEPTH), so hostile input cannot use up the stack or the memory.
 *
 * Errors are values: JT_ERROR, after which every call returns JT_ERROR
 * again, with the byte offset where the text went wrong and a reason
 * (jscan_error puts them in a caller's buffer). Rejected alternatives:
 * a callback (SAX) interface, which turns a reader that wants "the value of
 * this key" inside out; decoding in place, which needs a writable buffer
 * (a reply is the link's); a tree of our own, which is what cost the time.
 *
 * Strings are handed out without copying when they hold no escape (a
 * pointer into the text); those with escapes are decoded into an arena the
 * size of the text, allocated at the first escape and never moved. So
 * every string token stays valid until jscan_free, and a reader may keep
 * several (the fields of one case) before copying them.
 */
#ifndef GL_JSCAN_H
#define GL_JSCAN_H

#include <stddef.h>
#include <stdint.h>

#define JSCAN_DEPTH	64	/* objects and arrays inside each other */

enum jscan_tok {
	JT_ERROR = -1,		/* see err, err_off; sticky */
	JT_END = 0,		/* the text ended after its one value */
	JT_OBJ,			/* { */
	JT_OBJ_END,		/* } */
	JT_ARR,			/* [ */
	JT_ARR_END,		/* ] */
	JT_KEY,			/* a member's name (str, n); the ':' is read */
	JT_STR,			/* a string value (str, n) */
	JT_NUM,			/* a number (is_int, i, d) */
	JT_TRUE,
	JT_FALSE,
	JT_NULL
};

/* Not opaque: it lives on the reader's stack, as struct jbuf does. Read the
 * token's fields; leave the rest to jscan.c. */
struct jscan {
	/* the current token */
	enum jscan_tok	 tok;
	size_t		 off;		/* byte offset where it starts */
	const char	*str;		/* KEY, STR: n bytes of UTF-8, not
					   NUL-terminated; valid until
					   jscan_free */
	size_t		 n;
	int		 is_int;	/* NUM: written as an integer that
					   fits in int64_t (no '.', no 'e') */
	int64_t		 i;		/* NUM when is_int */
	double		 d;		/* NUM, always (i converted) */

	/* after JT_ERROR */
	int		 code;		/* GL_EPARSE, GL_EUTF8 or GL_ENOMEM */
	size_t		 err_off;	/* the offending byte */
	const char	*err;		/* why, static text */

	/* private */
	const char	*text;
	size_t		 len, pos;
	char		*arena;		/* decoded strings; len + 1 bytes */
	size_t		 arena_n;
	int		 want;		/* what may come next */
	int		 part;		/* jscan_init_at: one value of a
					   larger text */
	int		 depth;
	unsigned char	 stack[JSCAN_DEPTH];	/* '{' or '[' */
};

/* Scan text[0..len) (borrowed: it must outlive the scanner). */
void	jscan_init(struct jscan *s, const char *text, size_t len);
/* Scan the one value that starts at byte off of text (an offset an
 * earlier scan of the same text gave): JT_END comes right after that
 * value, what follows it is not read, and offsets stay those of the whole
 * text. */
void	jscan_init_at(struct jscan *s, const char *text, size_t len,
	    size_t off);
/* Free the arena. The scanner may be initialised again after. */
void	jscan_free(struct jscan *s);

/* The next token (also left in s->tok). */
enum jscan_tok jscan_next(struct jscan *s);

/* After JT_OBJ or JT_ARR: read up to the matching close, so that the next
 * token is what follows the whole value; after any other token, nothing.
 * Strings inside are checked but not decoded. 0 or JT_ERROR's code. */
int	jscan_skip(struct jscan *s);

/* The same, looking only at brackets and at where strings end: nothing
 * inside is checked, so a reader that skips a value this way must read it
 * strictly later (jscan_init_at), as the console's second pass over a
 * snapshot page's cases does. Over a page of 2,000 cases the first pass
 * took 0.7 ms with it, 1.6 ms with jscan_skip (memchr from quote to quote
 * instead of every character decoded). For a value that is valid JSON both
 * end at the same place. 0, or GL_EPARSE when the text ends first. */
int	jscan_skip_loose(struct jscan *s);

/* After JT_ERROR: "offset N: why" into err; returns s->code. */
int	jscan_error(const struct jscan *s, char *err, size_t errlen);

#endif
