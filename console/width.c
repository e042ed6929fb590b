/*
 * width.c: display width of UTF-8 text and cutting it to columns (see
 * width.h for the rules).
 *
 * UTF-8 is decoded by core/utf8.c's utf8_decode, the decoder that
 * validates all text entering gridline (no overlongs, no surrogates,
 * nothing above U+10FFFF), rather than with mbrtowc: mbrtowc carries a
 * shift state, stops at the first bad byte and, under a non-UTF-8 locale,
 * decodes something else entirely. One decoder, so text the server took as
 * valid is never drawn as '?' by a console that disagrees. Only the width of a code point
 * is asked of the C library, through wcwidth, because that is what ncursesw
 * itself uses to place characters; measuring with our own table would
 * disagree with the screen as soon as the two tables differ.
 *
 * Controls, bidi controls and bad bytes are drawn in their visible form
 * from core/vis.c (a Control Picture, "<U+202E>", "<0xFF>"), with VIS_TAB,
 * and measured as that form, so a cut never splits a form and columns
 * laid out by width_cols stay true. Bad bytes get one form each rather
 * than one per maximal bad sequence (the Unicode recommendation): the rule
 * is simpler to state and to test. Code points wcwidth does not know are
 * drawn as '?', never U+FFFD, because U+FFFD, like U+2026, is East Asian
 * "ambiguous" width: one column to glibc, two on a terminal set for CJK.
 *
 * width_fit never splits a character, so a 2-column character that does
 * not fit in the last column leaves that column empty; with WIDTH_PAD it
 * becomes a space. The ellipsis is measured with wcwidth too, so the total
 * fits whatever width the locale gives it; a locale that gives it none
 * (not UTF-8) gets "..." instead.
 *
 * wcwidth is declared by glibc only for X/Open; the project builds with
 * _DEFAULT_SOURCE and _POSIX_C_SOURCE=200809L, which do not include it, so
 * this file asks for X/Open itself before any include.
 */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include <assert.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include "utf8.h"
#include "vis.h"
#include "width.h"

#define WIDTH_ELLIPSIS_CP	0x2026
#define WIDTH_ELLIPSIS_UTF8	"\xe2\x80\xa6"
#define WIDTH_ELLIPSIS_ASCII	"..."
#define WIDTH_PICTURE_CP	0x241b	/* U+241B, the picture of ESC */

/* One character of input, as it is measured and drawn. */
struct width_char {
	size_t	len;		/* input bytes, 1 to 4 */
	int	cols;		/* display columns */
	size_t	nrepl;		/* bytes drawn instead of the input, or 0 */
	char	repl[VIS_FORM_MAX + 1];	/* what is drawn instead */
};

/* Measure the character at s (left > 0 bytes) into *wc. */
static void
width_char_get(const char *s, size_t left, struct width_char *wc)
{
	uint32_t	c;
	int		w;

	/* controls, bidi controls and bad bytes: their visible form, whose
	 * Control Picture is one column where the locale knows it, else
	 * drawn as '?'; the other forms are ASCII */
	if ((wc->nrepl = vis_char(s, left, VIS_TAB, wc->repl,
	    &wc->len)) != 0) {
		if ((wc->repl[0] & 0x80) == 0)
			wc->cols = (int)wc->nrepl;
		else if (wcwidth(WIDTH_PICTURE_CP) == 1)
			wc->cols = 1;
		else {
			wc->repl[0] = '?';
			wc->nrepl = 1;
			wc->cols = 1;
		}
		return;
	}
	if (utf8_decode(s, left, &c) == 0 || (w = wcwidth((wchar_t)c)) < 0) {
		wc->repl[0] = '?';
		wc->nrepl = 1;
		wc->cols = 1;
		return;
	}
	wc->cols = w;
}

/* The ellipsis for the current locale: its bytes in *e, length in *elen;
 * returns its columns. */
static int
width_ellipsis(const char **e, size_t *elen)
{
	int	w;

	w = wcwidth(WIDTH_ELLIPSIS_CP);
	if (w == 1 || w == 2) {
		*e = WIDTH_ELLIPSIS_UTF8;
		*elen = sizeof WIDTH_ELLIPSIS_UTF8 - 1;
		return w;
	}
	*e = WIDTH_ELLIPSIS_ASCII;
	*elen = sizeof WIDTH_ELLIPSIS_ASCII - 1;
	return (int)*elen;
}

int
width_cols(const char *s, size_t len)
{
	struct width_char	wc;
	size_t			off = 0;
	int			cols = 0;

	assert(s != NULL || len == 0);

	while (off < len) {
		width_char_get(s + off, len - off, &wc);
		if (wc.cols > INT_MAX - cols)
			return INT_MAX;
		cols += wc.cols;
		off += wc.len;
	}
	return cols;
}

/*
 * Copy into out the longest prefix of s[0..len) that fits in cols columns
 * and room bytes, replacing what is not drawn as itself. Returns the input
 * bytes taken; *outn is the bytes written (no NUL), *used the columns.
 */
static size_t
width_copy(const char *s, size_t len, int cols, char *out, size_t room,
    size_t *outn, int *used)
{
	struct width_char	wc;
	size_t			in = 0, n = 0, nb;
	int			c = 0;

	while (in < len) {
		width_char_get(s + in, len - in, &wc);
		nb = wc.nrepl != 0 ? wc.nrepl : wc.len;
		if (wc.cols > cols - c || nb > room - n)
			break;
		if (wc.nrepl != 0)
			memcpy(out + n, wc.repl, nb);
		else
			memcpy(out + n, s + in, nb);
		n += nb;
		in += wc.len;
		c += wc.cols;
	}
	*outn = n;
	*used = c;
	return in;
}

size_t
width_fit(const char *s, size_t len, int cols, unsigned flags, char *out,
    size_t outlen, int *used)
{
	const char	*e;
	size_t		 n = 0, elen, room;
	int		 c = 0, ew;

	assert(s != NULL || len == 0);
	assert(out != NULL && outlen > 0);

	room = outlen - 1;
	if (cols > 0 && width_copy(s, len, cols, out, room, &n, &c) < len &&
	    (flags & WIDTH_ELLIPSIS)) {
		ew = width_ellipsis(&e, &elen);
		if (ew <= cols && elen <= room) {
			width_copy(s, len, cols - ew, out, room - elen, &n, &c);
			memcpy(out + n, e, elen);
			n += elen;
			c += ew;
		}
	}
	if (cols > 0 && (flags & WIDTH_PAD)) {
		while (c < cols && n < room) {
			out[n++] = ' ';
			c++;
		}
	}
	out[n] = '\0';
	if (used != NULL)
		*used = c;
	return n;
}

int
width_pad_left(const char *s, int cols, char *out, size_t outlen)
{
	size_t	n, pad;
	int	used;

	assert(s != NULL);
	assert(out != NULL && outlen > 0);

	n = width_fit(s, strlen(s), cols, WIDTH_ELLIPSIS, out, outlen, &used);
	if (used >= cols)
		return used;
	pad = (size_t)(cols - used);
	if (pad > outlen - 1 - n)
		pad = outlen - 1 - n;
	memmove(out + pad, out, n + 1);
	memset(out, ' ', pad);
	return used + (int)pad;
}

size_t
width_prefix(const char *s, size_t len, int cols)
{
	struct width_char	wc;
	size_t			in = 0;
	int			c = 0;

	while (in < len) {
		width_char_get(s + in, len - in, &wc);
		if (wc.cols > cols - c)
			break;
		in += wc.len;
		c += wc.cols;
	}
	return in;
}
