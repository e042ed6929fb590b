/*
 * utf8.h: UTF-8 validation for everything that enters gridline as text.
 *
 * Reference data, reports and search queries arrive as bytes; they are
 * checked here once, strictly (no overlongs, no surrogates, nothing above
 * U+10FFFF), so that every later layer may treat text as valid UTF-8.
 * Display width is the console's business (wcwidth), not core's.
 */
#ifndef GL_UTF8_H
#define GL_UTF8_H

#include <stddef.h>

/* 1 when s[0..len) is valid UTF-8 without NUL bytes; otherwise 0 and, when
 * bad is not NULL, *bad is the byte offset of the first invalid sequence. */
int	utf8_valid(const char *s, size_t len, size_t *bad);

/* Number of code points in the valid UTF-8 string s[0..len). */
size_t	utf8_chars(const char *s, size_t len);

#endif
