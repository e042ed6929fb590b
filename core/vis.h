/*
 * vis.h: the visible form of text from outside, for writing to a terminal
 * (after OpenBSD's vis(3)).
 *
 * Summaries, addresses, reporters' names and ids come from the public and
 * from other systems. Stored and sent on the wire they stay exact; only
 * where they are written to a terminal or a log is each character that
 * could steer the terminal or reorder what is shown replaced by a visible
 * form:
 *
 *   C0 controls U+0000-U+001F      the Control Pictures U+2400-U+241F
 *                                  (ESC is shown as U+241B, one column)
 *   tab, with VIS_TAB only         U+2409; without the flag tab stays
 *   DEL U+007F                     U+2421
 *   C1 controls U+0080-U+009F      "<U+009B>", ASCII
 *   bidi embeddings, overrides and isolates U+202A-U+202E, U+2066-U+2069,
 *   line and paragraph separators U+2028, U+2029
 *                                  "<U+202E>", ASCII
 *   a byte that is not strict UTF-8 (utf8_decode)
 *                                  "<0xFF>", ASCII, one per byte
 *
 * Everything else, Chinese included, is left as it is. The Control
 * Pictures are East Asian "neutral": one column on every terminal, where
 * U+FFFD or a caret form would be ambiguous or could be mistaken for text.
 * The form is for reading, not for decoding back: a summary that holds the
 * eight characters "<U+202E>" looks the same as one holding U+202E. Who
 * needs the exact text reads it through the protocol.
 *
 * VIS_JSON is for the output of a JSON encoder (jansson escapes C0 inside
 * strings itself, and its newlines between members are layout): C0 is left
 * alone and every other form is a JSON escape ("\u202e"), so the document
 * still decodes to the exact text.
 */
#ifndef GL_VIS_H
#define GL_VIS_H

#include <stddef.h>

#define VIS_TAB		0x1	/* show tab too (text laid out in columns) */
#define VIS_JSON	0x2	/* JSON escapes, C0 untouched (see above) */

#define VIS_FORM_MAX	8	/* bytes of the longest form, "<U+202E>" */

/* The character at s (left > 0 bytes): stores its input bytes (1 to 4) in
 * *inlen and returns the length of its visible form, written into form
 * (VIS_FORM_MAX + 1 bytes, NUL-terminated), or 0 when it is shown as
 * itself (form then untouched). */
size_t	vis_char(const char *s, size_t left, unsigned flags, char *form,
	    size_t *inlen);

/* 1 when some character of s[0..len) has a visible form, 0 when s may be
 * written as it is. */
int	vis_needed(const char *s, size_t len, unsigned flags);

/* Bytes of the visible form of s[0..len), without a NUL. */
size_t	vis_len(const char *s, size_t len, unsigned flags);

/* Write the visible form of s[0..len) into out (outlen > 0 bytes, always
 * NUL-terminated) and, when outn is not NULL, its length into *outn.
 * Returns 0, or GL_ETOOLONG when out was too small: it then holds the
 * longest prefix that fits, never cut inside a character or a form. */
int	vis_copy(const char *s, size_t len, unsigned flags, char *out,
	    size_t outlen, size_t *outn);

/* The visible form of s[0..len) in a new NUL-terminated string in *out,
 * which the caller frees. Returns 0 or GL_ENOMEM (*out then NULL). */
int	vis_dup(const char *s, size_t len, unsigned flags, char **out);

#endif
