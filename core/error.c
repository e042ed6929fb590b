/*
 * error.c: names and messages of the GL_E* codes (see error.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "error.h"

struct gl_error_info {
	int		 code;
	const char	*name;
	const char	*msg;
};

static const struct gl_error_info gl_error_table[] = {
#define GL_ERROR_ROW(name, str, msg) { GL_E##name, str, msg },
	GL_ERROR_LIST(GL_ERROR_ROW)
#undef GL_ERROR_ROW
};

static const struct gl_error_info *
gl_error_find(int code)
{
	size_t	i;

	for (i = 0; i < sizeof gl_error_table / sizeof gl_error_table[0]; i++)
		if (gl_error_table[i].code == code)
			return &gl_error_table[i];
	return NULL;
}

const char *
gl_strerror_name(int code)
{
	const struct gl_error_info *e;

	if (code == GL_OK)
		return "ok";
	e = gl_error_find(code);
	return e != NULL ? e->name : "unknown";
}

const char *
gl_strerror(int code)
{
	const struct gl_error_info *e;

	if (code == GL_OK)
		return "success";
	e = gl_error_find(code);
	return e != NULL ? e->msg : "unknown error";
}

int
gl_err(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list	ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}
