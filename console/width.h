/*
 * width.h: display width of UTF-8 text, and cutting it to a column count.
 *
 * The console draws Chinese, two terminal columns a character, into panes
 * whose columns are counted, so every string is measured and cut here and
 * nowhere else. Widths come from wcwidth(3), which needs an UTF-8 LC_CTYPE:
 * the console calls setlocale(LC_ALL, "") at start and the tests set
 * "C.UTF-8". Under a non-UTF-8 locale wcwidth knows no Chinese; every such
 * character then counts, and is drawn, as one '?', so the screen stays
 * aligned even though it is unreadable.
 *
 * What each code point is worth, in width_cols and width_fit alike:
 * - C0 controls (TAB and NUL included) and DEL: drawn as their Control
 *   Picture (core/vis.h), 1 column, so that a summary with a TAB, a
 *   newline or an escape sequence stays on one line and steers nothing;
 *   under a locale without the pictures, '?';
 * - C1 controls, the bidi controls U+202A-U+202E and U+2066-U+2069, U+2028
 *   and U+2029: drawn as "<U+202E>", 8 columns;
 * - bytes that are not strict UTF-8: "<0xFF>", 6 columns each;
 * - other code points wcwidth does not know (< 0: unassigned, or newer than
 *   the C library, such as CJK Extension H): 1 column, drawn as '?';
 * - everything else: wcwidth, so combining marks are 0 and CJK 2.
 * For any width_fit output, width_cols(out) equals the columns it reports.
 */
#ifndef GL_WIDTH_H
#define GL_WIDTH_H

#include <stddef.h>

#define WIDTH_PAD	0x1	/* pad with spaces to exactly cols */
#define WIDTH_ELLIPSIS	0x2	/* end a cut string with U+2026 */

/* Display columns of the UTF-8 bytes s[0..len), by the rules above;
 * INT_MAX at most. */
int	width_cols(const char *s, size_t len);

/* Write into out (outlen > 0 bytes, always NUL-terminated) the longest
 * prefix of s[0..len) that fits in cols columns, never splitting a
 * character, with controls and invalid bytes replaced; flags add padding
 * or an ellipsis. Returns the bytes written without the NUL and, when used
 * is not NULL, stores the columns in *used; an out too small cuts earlier. */
size_t	width_fit(const char *s, size_t len, int cols, unsigned flags,
	    char *out, size_t outlen, int *used);

/* Right-align the NUL-terminated s in cols columns into out (outlen > 0);
 * a wider s is cut as width_fit with WIDTH_ELLIPSIS does, then aligned.
 * Returns the columns written, cols unless out is too small. */
/* The input bytes of the longest prefix of s[0..len) that fits in cols
 * columns, never splitting a character (for wrapping text over lines). */
size_t	width_prefix(const char *s, size_t len, int cols);

int	width_pad_left(const char *s, int cols, char *out, size_t outlen);

#endif
