/*
 * diag.c: problem lists for loaders (see diag.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

void
diag_init(struct diag *d)
{
	memset(d, 0, sizeof *d);
}

void
diag_free(struct diag *d)
{
	size_t	i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++) {
		free(d->items[i].file);
		free(d->items[i].msg);
	}
	free(d->items);
	diag_init(d);
}

void
diag_add(struct diag *d, const char *file, long line, const char *fmt, ...)
{
	struct diag_item	*it;
	va_list			 ap;
	char			 buf[1024];

	if (d->n == d->cap) {
		size_t	 cap = d->cap ? d->cap * 2 : 16;
		void	*p = realloc(d->items, cap * sizeof *d->items);

		if (p == NULL)
			return;
		d->items = p;
		d->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	it = &d->items[d->n++];
	it->file = strdup(file != NULL ? file : "");
	it->line = line;
	it->msg = strdup(buf);
}

void
diag_format(const struct diag *d, size_t i, char *buf, size_t len)
{
	const struct diag_item *it = &d->items[i];
	const char *msg = it->msg != NULL ? it->msg : "out of memory";

	if (it->line > 0)
		snprintf(buf, len, "%s:%ld: %s", it->file, it->line, msg);
	else
		snprintf(buf, len, "%s: %s", it->file, msg);
}

void
diag_text(const struct diag *d, char *buf, size_t len)
{
	char	line[2048];
	size_t	i, n = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (i = 0; i < d->n && n + 1 < len; i++) {
		diag_format(d, i, line, sizeof line);
		n += (size_t)snprintf(buf + n, len - n, "%s\n", line);
	}
}
