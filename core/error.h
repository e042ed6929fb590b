/*
 * error.h: the error codes of core/ and net/.
 *
 * Functions return 0 on success or a negative GL_E* code, and describe the
 * problem in a caller's buffer (char *err, size_t errlen), the way
 * sqlite3_exec fills its errmsg. One X-macro list gives every code its enum
 * value, its stable name (used on the wire and in tests) and a default
 * message, so the three can never drift apart.
 */
#ifndef GL_ERROR_H
#define GL_ERROR_H

#include <stddef.h>

#define GL_ERROR_LIST(X)						\
	X(NOMEM,	"nomem",	"out of memory")			\
	X(INVAL,	"invalid",	"invalid argument")			\
	X(NOTFOUND,	"not_found",	"no such item")				\
	X(STATE,	"not_allowed",	"action not allowed in this state")	\
	X(CONFLICT,	"conflict",	"changed by someone else first")	\
	X(EXISTS,	"exists",	"already exists")			\
	X(IO,		"io",		"input/output error")			\
	X(DB,		"db",		"database error")			\
	X(BUSY,		"busy",		"database is locked")			\
	X(FULL,		"full",		"disk is full")				\
	X(READONLY,	"readonly",	"database is read-only")		\
	X(SCHEMA,	"schema",	"database is from a newer gridline")	\
	X(PARSE,	"parse",	"malformed input")			\
	X(UTF8,		"utf8",		"invalid UTF-8")			\
	X(RANGE,	"range",	"value out of range")			\
	X(TOOLONG,	"too_long",	"text over its bound")			\
	X(SLOW,		"too_slow",	"took longer than its bound")		\
	X(AUTH,		"unauthenticated", "not signed by a known operator")	\
	X(FORBIDDEN,	"forbidden",	"not this operator's to do")

enum {
	GL_OK = 0,
#define GL_ERROR_ENUM(name, str, msg) GL_E##name,
	GL__EFIRST = -100,
	GL_ERROR_LIST(GL_ERROR_ENUM)
#undef GL_ERROR_ENUM
	GL__ELAST
};

/* Stable short name of a code ("conflict"); "ok" for 0, "unknown" else. */
const char *gl_strerror_name(int code);
/* Default human message of a code. */
const char *gl_strerror(int code);

/* printf into err (when err and errlen are non-zero) and return code: lets a
 * function write `return gl_err(err, errlen, GL_EINVAL, "bad %s", x);`. */
int	gl_err(char *err, size_t errlen, int code, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));

#endif
