/*
 * feeders.c: the feeders' table and buckets (see feeders.h).
 *
 * A few feeders (hotline, app, sensor networks): a short array searched
 * by name. The bucket fills at rate tokens a second up to burst; a
 * request takes one token or is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "error.h"
#include "feeders.h"

struct feeders {
	struct feeder	*v;
	size_t		 n, cap;
	double		 rate, burst;
	uint64_t	 anonymous;	/* bare bodies on ipc, taken */
};

int
feeders_new(double rate, double burst, struct feeders **out)
{
	struct feeders	*f = calloc(1, sizeof *f);

	*out = f;
	if (f == NULL)
		return GL_ENOMEM;
	f->rate = rate > 0 ? rate : 0;
	f->burst = burst >= 1 ? burst : f->rate * 2 >= 1 ? f->rate * 2 : 1;
	return 0;
}

void
feeders_free(struct feeders *f)
{
	if (f == NULL)
		return;
	if (f->v != NULL)
		sodium_memzero(f->v, f->cap * sizeof *f->v);
	free(f->v);
	free(f);
}

static struct feeder *
feeders_find(const struct feeders *f, const char *name, size_t len)
{
	size_t	i;

	for (i = 0; i < f->n; i++)
		if (strlen(f->v[i].name) == len &&
		    memcmp(f->v[i].name, name, len) == 0)
			return &f->v[i];
	return NULL;
}

int
feeders_put(struct feeders *f, const char *name,
    const uint8_t key[MAC_KEY_BYTES], int disabled)
{
	struct feeder	*d, *v;

	if ((d = feeders_find(f, name, strlen(name))) == NULL) {
		if (f->n == f->cap) {
			size_t	cap = f->cap == 0 ? 8 : f->cap * 2;

			if ((v = realloc(f->v, cap * sizeof *v)) == NULL)
				return GL_ENOMEM;
			f->v = v;
			f->cap = cap;
		}
		d = &f->v[f->n++];
		memset(d, 0, sizeof *d);
		snprintf(d->name, sizeof d->name, "%s", name);
		d->tokens = f->burst;
	}
	memcpy(d->key, key, MAC_KEY_BYTES);
	d->disabled = disabled;
	return 0;
}

/* One token of d's bucket at now_ms; 0, or -1 when it is empty. */
static int
feeders_take(const struct feeders *f, struct feeder *d, uint64_t now_ms)
{
	if (f->rate <= 0)
		return 0;
	if (d->at_ms != 0 && now_ms > d->at_ms)
		d->tokens += (double)(now_ms - d->at_ms) * f->rate / 1000;
	if (d->tokens > f->burst)
		d->tokens = f->burst;
	d->at_ms = now_ms;
	if (d->tokens < 1)
		return -1;
	d->tokens -= 1;
	return 0;
}

enum feeders_verdict
feeders_check(struct feeders *f, const char *msg, size_t len, int required,
    uint64_t now_ms, const char **body, size_t *bodylen, char *err,
    size_t errlen)
{
	struct mac_parts	 p;
	struct feeder		*d;
	int			 rc;

	*body = msg;
	*bodylen = len;
	if ((rc = mac_split(msg, len, &p)) == 0) {
		if (!required) {
			f->anonymous++;
			return FV_OK;
		}
		snprintf(err, errlen, "a request on a tcp endpoint comes from "
		    "a feeder: a GLM1 envelope with the feeder's name and MAC "
		    "(gridline feeder add)");
		return FV_UNAUTHENTICATED;
	}
	if (rc < 0) {
		snprintf(err, errlen, "the feeder envelope's head is malformed");
		return FV_UNAUTHENTICATED;
	}
	if ((d = feeders_find(f, p.name, p.namelen)) == NULL) {
		snprintf(err, errlen, "no such feeder");
		return FV_UNAUTHENTICATED;
	}
	if (mac_verify(d->key, &p) != 0 || d->disabled) {
		d->refused++;
		snprintf(err, errlen, "%s", d->disabled ? "the feeder is "
		    "disabled" : "the MAC is not the feeder's (a changed byte, "
		    "or another key)");
		return FV_UNAUTHENTICATED;
	}
	if (feeders_take(f, d, now_ms) != 0) {
		d->limited++;
		snprintf(err, errlen, "feeder %s sends more than %.0f requests "
		    "a second (burst %.0f): this one was not taken", d->name,
		    f->rate, f->burst);
		return FV_RATE_LIMITED;
	}
	d->accepted++;
	*body = p.body;
	*bodylen = p.bodylen;
	return FV_OK;
}

json_t *
feeders_json(const struct feeders *f)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; i < f->n; i++)
		json_array_append_new(a, json_pack("{s:s,s:b,s:I,s:I,s:I}",
		    "name", f->v[i].name, "disabled", f->v[i].disabled,
		    "accepted", (json_int_t)f->v[i].accepted, "refused",
		    (json_int_t)f->v[i].refused, "rate_limited",
		    (json_int_t)f->v[i].limited));
	return json_pack("{s:o,s:I,s:f,s:f}", "feeders", a, "anonymous",
	    (json_int_t)f->anonymous, "rate", f->rate, "burst", f->burst);
}
