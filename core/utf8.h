/*
 * utf8.h: UTF-8 validation for everything that enters gridline as text.
 *
 * Reference data, reports and search queries arrive as bytes; they are
 * checked here once, strictly (no overlongs, no surrogates, nothing above
 * U+10FFFF), so that every later layer may treat text as valid UTF-8.
 * Display width is the console's business (wcwidth), not core's, but the
 * console decodes with utf8_decode, so "valid" means the same on both sides
 * and there is one decoder to get right.
 */
#ifndef GL_UTF8_H
#define GL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* 1 when s[0..len) is valid UTF-8 without NUL bytes; otherwise 0 and, when
 * bad is not NULL, *bad is the byte offset of the first invalid sequence. */
int	utf8_valid(const char *s, size_t len, size_t *bad);

/* Decode the one strict UTF-8 sequence at s (left > 0 bytes) into *cp and
 * return its length, 1 to 4; 0 when s does not start a valid sequence
 * (overlong, surrogate, above U+10FFFF, cut short), *cp then untouched.
 * A NUL byte decodes as U+0000: whether NUL is allowed is the caller's
 * rule (utf8_valid refuses it, the console draws it as a space). */
size_t	utf8_decode(const char *s, size_t left, uint32_t *cp);

/* Number of code points in the valid UTF-8 string s[0..len). */
size_t	utf8_chars(const char *s, size_t len);

#endif
