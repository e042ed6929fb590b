/*
 * envelope.h: the one-line head both authenticated messages share: the
 * control socket's signed requests (sign.h) and the feeders' MACs (mac.h).
 *
 *   MAGIC <base64 of the tag> <name>\n<body>
 *
 * MAGIC is four letters and a blank ("GLS1 ", "GLM1 "), the tag a fixed
 * number of bytes (a signature, a MAC), the name one line. Writing and
 * splitting only: what the tag is over, and checking it, are sign.c's
 * and mac.c's.
 */
#ifndef GL_ENVELOPE_H
#define GL_ENVELOPE_H

#include <stddef.h>
#include <stdint.h>

/* magic, tag (taglen bytes), name and body as a new string (malloc) of
 * *outlen bytes; 0, GL_EINVAL (a name empty or with a newline),
 * GL_ENOMEM. */
int	envelope_make(const char *magic, const uint8_t *tag, size_t taglen,
	    const char *name, const char *body, size_t len, char **out,
	    size_t *outlen);

/* Split msg: 1 with tag (taglen bytes), *name, *namelen, *body and
 * *bodylen (pointers into msg) when it begins with magic; 0 when it does
 * not (a bare body); GL_EPARSE when it begins so and is not a good head. */
int	envelope_split(const char *magic, const char *msg, size_t len,
	    uint8_t *tag, size_t taglen, const char **name, size_t *namelen,
	    const char **body, size_t *bodylen);

#endif
