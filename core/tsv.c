/*
 * tsv.c: the strict, all-or-nothing TSV reader (see tsv.h).
 *
 * The file is read into one buffer and split in place: reference files are
 * small (the biggest, grids.tsv, is under 1 MB) and one allocation keeps
 * freeing trivial. Quoting is deliberately not supported: a TAB or newline
 * inside a Chinese place name is always a mistake, and CSV-style quotes would
 * hide it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "tsv.h"
#include "utf8.h"

static int
tsv_read_file(const char *path, char **buf, size_t *len)
{
	FILE	*fp;
	char	*b = NULL, *nb;
	size_t	 cap = 0, n = 0, r;

	if ((fp = fopen(path, "rb")) == NULL)
		return -errno;
	for (;;) {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 131072;
			if ((nb = realloc(b, cap + 1)) == NULL) {
				free(b);
				fclose(fp);
				return -ENOMEM;
			}
			b = nb;
		}
		r = fread(b + n, 1, cap - n, fp);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(fp)) {
		free(b);
		fclose(fp);
		return -EIO;
	}
	fclose(fp);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

/* Split the buffer into lines; returns the number of lines, filling starts
 * (NULL-safe count pass when starts is NULL). Strips CR before LF. */
static size_t
tsv_lines(char *buf, size_t len, char **starts)
{
	size_t	 n = 0;
	char	*p = buf, *end = buf + len, *nl;

	while (p < end) {
		nl = memchr(p, '\n', end - p);
		if (starts != NULL) {
			starts[n] = p;
			if (nl != NULL) {
				*nl = '\0';
				if (nl > p && nl[-1] == '\r')
					nl[-1] = '\0';
			}
		}
		n++;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return n;
}

static size_t
tsv_count_fields(const char *s)
{
	size_t	n = 1;

	for (; *s != '\0'; s++)
		if (*s == '\t')
			n++;
	return n;
}

static void
tsv_split(char *s, char **f)
{
	size_t	i = 0;

	f[i++] = s;
	for (; *s != '\0'; s++)
		if (*s == '\t') {
			*s = '\0';
			f[i++] = s + 1;
		}
}

static int
tsv_check_header(struct tsv *t, const char *const *required, struct diag *d)
{
	int	ok = 1;
	size_t	i, j;

	for (i = 0; required != NULL && required[i] != NULL; i++)
		if (tsv_col(t, required[i]) < 0) {
			diag_add(d, t->path, 1, "missing column '%s' in the "
			    "header line", required[i]);
			ok = 0;
		}
	for (i = 0; i < t->ncols; i++) {
		if (t->header[i][0] == '\0') {
			diag_add(d, t->path, 1, "column %zu has no name", i + 1);
			ok = 0;
		}
		for (j = 0; j < i; j++)
			if (strcmp(t->header[i], t->header[j]) == 0) {
				diag_add(d, t->path, 1, "column '%s' appears "
				    "twice", t->header[i]);
				ok = 0;
			}
	}
	return ok;
}

/* Validate every line (UTF-8, field count) and build rows. */
static int
tsv_parse(struct tsv *t, char **lines, size_t nlines, struct diag *d)
{
	size_t	i, nf, bad;
	int	ok = 1;

	t->cells = calloc(nlines * t->ncols + 1, sizeof *t->cells);
	t->rows = calloc(nlines + 1, sizeof *t->rows);
	if (t->cells == NULL || t->rows == NULL)
		return GL_ENOMEM;
	for (i = 1; i < nlines; i++) {
		char *s = lines[i];

		if (s[0] == '\0' || s[0] == '#')
			continue;
		if (!utf8_valid(s, strlen(s), &bad)) {
			diag_add(d, t->path, (long)i + 1, "invalid UTF-8 at "
			    "byte %zu of the line", bad + 1);
			ok = 0;
			continue;
		}
		if ((nf = tsv_count_fields(s)) != t->ncols) {
			diag_add(d, t->path, (long)i + 1, "%zu fields, the "
			    "header has %zu", nf, t->ncols);
			ok = 0;
			continue;
		}
		t->rows[t->nrows].line = (long)i + 1;
		t->rows[t->nrows].f = t->cells + t->nrows * t->ncols;
		tsv_split(s, t->rows[t->nrows].f);
		t->nrows++;
	}
	return ok ? 0 : GL_EPARSE;
}

static int
tsv_build(struct tsv *t, size_t len, const char *const *required,
    struct diag *d)
{
	char	**lines, *nul, *p;
	size_t	  nlines, bad;
	int	  rc;

	if ((nul = memchr(t->buf, '\0', len)) != NULL) {
		for (bad = 1, p = t->buf; p < nul; p++)
			bad += *p == '\n';
		diag_add(d, t->path, (long)bad, "NUL byte: not a text file");
		return GL_EPARSE;
	}
	nlines = tsv_lines(t->buf, len, NULL);
	if (nlines == 0) {
		diag_add(d, t->path, 1, "empty file: a header line is needed");
		return GL_EPARSE;
	}
	if ((lines = calloc(nlines, sizeof *lines)) == NULL)
		return GL_ENOMEM;
	tsv_lines(t->buf, len, lines);
	if (strncmp(lines[0], "\xef\xbb\xbf", 3) == 0)
		lines[0] += 3;	/* a BOM from a spreadsheet: tolerated */
	if (!utf8_valid(lines[0], strlen(lines[0]), &bad)) {
		diag_add(d, t->path, 1, "invalid UTF-8 in the header line");
		free(lines);
		return GL_EPARSE;
	}
	t->ncols = tsv_count_fields(lines[0]);
	t->header = calloc(t->ncols, sizeof *t->header);
	if (t->header == NULL) {
		free(lines);
		return GL_ENOMEM;
	}
	tsv_split(lines[0], t->header);
	rc = tsv_check_header(t, required, d) ? 0 : GL_EPARSE;
	if (rc == 0)
		rc = tsv_parse(t, lines, nlines, d);
	free(lines);
	return rc;
}

int
tsv_load(const char *path, const char *const *required, struct tsv **out,
    struct diag *d)
{
	struct tsv	*t;
	size_t		 len = 0;
	int		 rc;

	*out = NULL;
	if ((t = calloc(1, sizeof *t)) == NULL ||
	    (t->path = strdup(path)) == NULL) {
		free(t);
		return GL_ENOMEM;
	}
	if ((rc = tsv_read_file(path, &t->buf, &len)) != 0) {
		diag_add(d, path, 0, "cannot read: %s", strerror(-rc));
		d->unreadable = 1;
		tsv_free(t);
		return rc == -ENOMEM ? GL_ENOMEM : GL_EIO;
	}
	if ((rc = tsv_build(t, len, required, d)) != 0) {
		tsv_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

void
tsv_free(struct tsv *t)
{
	if (t == NULL)
		return;
	free(t->path);
	free(t->buf);
	free(t->header);
	free(t->rows);
	free(t->cells);
	free(t);
}

int
tsv_col(const struct tsv *t, const char *name)
{
	size_t	i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->header[i], name) == 0)
			return (int)i;
	return -1;
}
