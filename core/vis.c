/*
 * vis.c: the visible form of text from outside (see vis.h for the scheme).
 *
 * One character at a time (vis_char), so that the console's width code can
 * measure and cut by the form actually drawn, and the string functions are
 * loops over it. A table of ranges rather than a call into the C library's
 * iswcntrl or iswprint: those depend on the locale (under LANG=C nothing
 * above 0x7f is a control), and what reaches a terminal must not depend on
 * the locale of the process writing it.
 *
 * The forms are built by hand rather than with snprintf: vis_char runs for
 * each character the console draws, and the hex digits are all it needs.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "utf8.h"
#include "vis.h"

/* Code points above C1 that get a form: bidi controls and separators. */
static const struct {
	uint32_t	lo, hi;
} vis_ranges[] = {
	{ 0x2028, 0x202e },	/* LS, PS, LRE, RLE, PDF, LRO, RLO */
	{ 0x2066, 0x2069 },	/* LRI, RLI, FSI, PDI */
};

static const char vis_hex[] = "0123456789ABCDEF";
static const char vis_hex_lower[] = "0123456789abcdef";

/* 1 when the code point c gets a form under flags. */
static int
vis_is_special(uint32_t c, unsigned flags)
{
	size_t	i;

	if (c == '\t')
		return (flags & VIS_TAB) != 0;
	if (c < 0x20)
		return (flags & VIS_JSON) == 0;
	if (c >= 0x7f && c < 0xa0)
		return 1;
	for (i = 0; i < sizeof vis_ranges / sizeof vis_ranges[0]; i++)
		if (c >= vis_ranges[i].lo && c <= vis_ranges[i].hi)
			return 1;
	return 0;
}

/* Write the form of code point c into form; returns its length. */
static size_t
vis_form_cp(uint32_t c, unsigned flags, char *form)
{
	if (flags & VIS_JSON) {
		memcpy(form, "\\u", 2);
		form[2] = vis_hex_lower[(c >> 12) & 0xf];
		form[3] = vis_hex_lower[(c >> 8) & 0xf];
		form[4] = vis_hex_lower[(c >> 4) & 0xf];
		form[5] = vis_hex_lower[c & 0xf];
		form[6] = '\0';
		return 6;
	}
	if (c < 0x20 || c == 0x7f) {
		/* U+2400 + c, U+2421 for DEL: E2 90 80+ */
		form[0] = (char)0xe2;
		form[1] = (char)0x90;
		form[2] = (char)(c == 0x7f ? 0xa1 : 0x80 + c);
		form[3] = '\0';
		return 3;
	}
	memcpy(form, "<U+", 3);
	form[3] = vis_hex[(c >> 12) & 0xf];
	form[4] = vis_hex[(c >> 8) & 0xf];
	form[5] = vis_hex[(c >> 4) & 0xf];
	form[6] = vis_hex[c & 0xf];
	form[7] = '>';
	form[8] = '\0';
	return 8;
}

size_t
vis_char(const char *s, size_t left, unsigned flags, char *form,
    size_t *inlen)
{
	unsigned char	b;
	uint32_t	c;
	size_t		n;

	assert(s != NULL && left > 0);
	assert(form != NULL && inlen != NULL);

	if ((n = utf8_decode(s, left, &c)) == 0) {
		*inlen = 1;
		if (flags & VIS_JSON)
			return vis_form_cp(0xfffd, flags, form);
		b = (unsigned char)s[0];
		memcpy(form, "<0x", 3);
		form[3] = vis_hex[b >> 4];
		form[4] = vis_hex[b & 0xf];
		form[5] = '>';
		form[6] = '\0';
		return 6;
	}
	*inlen = n;
	if (!vis_is_special(c, flags))
		return 0;
	return vis_form_cp(c, flags, form);
}

int
vis_needed(const char *s, size_t len, unsigned flags)
{
	char	form[VIS_FORM_MAX + 1];
	size_t	off = 0, n;

	assert(s != NULL || len == 0);

	while (off < len) {
		if (vis_char(s + off, len - off, flags, form, &n) != 0)
			return 1;
		off += n;
	}
	return 0;
}

size_t
vis_len(const char *s, size_t len, unsigned flags)
{
	char	form[VIS_FORM_MAX + 1];
	size_t	off = 0, n, f, total = 0;

	assert(s != NULL || len == 0);

	while (off < len) {
		f = vis_char(s + off, len - off, flags, form, &n);
		total += f != 0 ? f : n;
		off += n;
	}
	return total;
}

int
vis_copy(const char *s, size_t len, unsigned flags, char *out,
    size_t outlen, size_t *outn)
{
	char		 form[VIS_FORM_MAX + 1];
	const char	*from;
	size_t		 off = 0, o = 0, n, f;
	int		 rc = 0;

	assert(s != NULL || len == 0);
	assert(out != NULL && outlen > 0);

	while (off < len) {
		f = vis_char(s + off, len - off, flags, form, &n);
		from = f != 0 ? form : s + off;
		if (f == 0)
			f = n;
		if (f > outlen - 1 - o) {
			rc = GL_ETOOLONG;
			break;
		}
		memcpy(out + o, from, f);
		o += f;
		off += n;
	}
	out[o] = '\0';
	if (outn != NULL)
		*outn = o;
	return rc;
}

int
vis_dup(const char *s, size_t len, unsigned flags, char **out)
{
	size_t	n;

	assert(s != NULL || len == 0);
	assert(out != NULL);

	n = vis_len(s, len, flags) + 1;
	if ((*out = malloc(n)) == NULL)
		return GL_ENOMEM;
	if (vis_copy(s, len, flags, *out, n, NULL) != 0) {
		/* cannot happen: n was measured by the same walk */
		free(*out);
		*out = NULL;
		return GL_ENOMEM;
	}
	return 0;
}
