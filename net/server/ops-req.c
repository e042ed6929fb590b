/*
 * ops-req.c: reading a control request's fields, and writing an error
 * (see ops-int.h): what every file of the control operations shares.
 *
 * One error per problem, named by its field; text is never cut to fit
 * (too_long), and where an English message holds a caller's string it is
 * cut on a character boundary: jansson refuses a string ending in half a
 * character, which once turned a refusal into "nomem".
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "ops-int.h"
#include "utf8.h"

/* Cut s (NUL-terminated, cut to its buffer by snprintf) back to the end of
 * its last whole character. */
void
ops_fit(char *s)
{
	size_t	bad;

	if (!utf8_valid(s, strlen(s), &bad))
		s[bad] = '\0';
}

json_t *
ops_error(const char *code, const char *field, const char *fmt, ...)
{
	char	msg[512];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ops_fit(msg);
	return json_pack("{s:b,s:{s:s,s:s?,s:s}}", "ok", 0, "error", "code",
	    code, "field", field, "message", msg);
}

/* Add params (taken) to the error reply e; e returned. */
json_t *
ops_params(json_t *e, json_t *params)
{
	json_t	*err = json_object_get(e, "error");

	if (err == NULL || params == NULL ||
	    json_object_set_new(err, "params", params) != 0)
		json_decref(params);
	return e;
}

const char *
ops_code(int rc)
{
	return gl_strerror_name(rc);
}

/* --- field access ---------------------------------------------------------- */

/* missing_field, with the field in params too. */
static json_t *
ops_missing(const char *key)
{
	return ops_params(ops_error("missing_field", key, "field '%s' is "
	    "required", key), json_pack("{s:s}", "field", key));
}

/* A string field: *out = value or NULL when absent; error when present but
 * not a (valid) string. */
json_t *
req_str(json_t *req, const char *key, int required, const char **out)
{
	json_t	*v = json_object_get(req, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return required ? ops_missing(key) : NULL;
	if (!json_is_string(v))
		return ops_error("wrong_type", key, "field '%s' must be a "
		    "string", key);
	*out = json_string_value(v);
	return NULL;
}

/* A string field of at most max characters (too_long when longer: text is
 * never cut). */
json_t *
req_text(json_t *req, const char *key, int required, size_t max,
    const char **out)
{
	json_t	*e = req_str(req, key, required, out);
	size_t	 n;

	if (e != NULL || *out == NULL)
		return e;
	n = json_string_length(json_object_get(req, key));
	if (n > max * 4 || strlen(*out) != n || utf8_chars(*out, n) > max)
		return ops_error("too_long", key, "field '%s' is longer than "
		    "%zu characters", key, max);
	return NULL;
}

json_t *
req_bool(json_t *req, const char *key, int *out)
{
	json_t	*v = json_object_get(req, key);

	*out = json_is_true(v);
	if (v != NULL && !json_is_null(v) && !json_is_boolean(v))
		return ops_error("wrong_type", key, "field '%s' must be true "
		    "or false", key);
	return NULL;
}

json_t *
req_int(json_t *req, const char *key, int required, json_int_t dflt,
    json_int_t *out)
{
	json_t	*v = json_object_get(req, key);

	*out = dflt;
	if (v == NULL || json_is_null(v))
		return required ? ops_missing(key) : NULL;
	if (!json_is_integer(v))
		return ops_error("wrong_type", key, "field '%s' must be an "
		    "integer", key);
	*out = json_integer_value(v);
	return NULL;
}
