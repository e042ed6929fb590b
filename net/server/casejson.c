/*
 * casejson.c: case and event JSON (see casejson.h).
 */
#include <stdlib.h>
#include <string.h>

#include "casejson.h"
#include "gltime.h"
#include "route.h"

void
casejson_write_time(struct jbuf *b, time_t t)
{
	char	buf[40];

	if (t == 0) {
		jbuf_null(b);
		return;
	}
	gltime_format(t, GLTIME_CHINA, buf, sizeof buf);
	jbuf_str(b, buf);
}

json_t *
casejson_time(time_t t)
{
	char	buf[40];

	if (t == 0)
		return json_null();
	gltime_format(t, GLTIME_CHINA, buf, sizeof buf);
	return json_string(buf);
}

/* key: the string, or null when absent or empty. */
static void
put_str(struct jbuf *b, const char *key, const char *v)
{
	jbuf_key(b, key);
	jbuf_str(b, v != NULL && v[0] != '\0' ? v : NULL);
}

static void
put_int(struct jbuf *b, const char *key, int64_t v)
{
	jbuf_key(b, key);
	jbuf_int(b, v);
}

static void
put_bool(struct jbuf *b, const char *key, int v)
{
	jbuf_key(b, key);
	jbuf_bool(b, v);
}

static void
put_time(struct jbuf *b, const char *key, time_t t)
{
	jbuf_key(b, key);
	casejson_write_time(b, t);
}

/* What a queue shows and sorts by, from the case alone. */
static void
casejson_queue(struct jbuf *b, const struct store_case *c)
{
	put_str(b, "no", c->no);
	put_int(b, "version", c->version);
	put_str(b, "state", case_state_name(c->state));
	put_int(b, "priority", c->priority);
	put_str(b, "summary", c->summary);
	put_time(b, "reported_at", c->reported_at);
	put_time(b, "created_at", c->created_at);
	put_time(b, "due_at", c->due_at);
	put_bool(b, "paused", c->paused_at != 0);
	put_bool(b, "ext_pending", c->ext_pending);
	put_int(b, "returns", c->returns);
	put_int(b, "reworks", c->reworks);
	put_bool(b, "disputed", case_disputed(c->returns));
	put_str(b, "duplicate_of", c->duplicate_no);
	put_str(b, "agency", c->agency);
}

/* The suggested lead at the case's level (an escalated case: the lead of
 * the level it was escalated to); with the list row that decided it, the
 * level and whether that level had a row of its own in the full shape
 * (the queue does not need them, and building the reason costs text). */
static void
casejson_route(struct jbuf *b, const struct store_case *c,
    const struct refdata *rd, const struct category *k,
    enum casejson_shape shape)
{
	const struct juris	*g;
	const struct duty	*u;
	struct route		 r;

	jbuf_key(b, "route");
	if (shape == CJ_FULL && route_case_at(rd, c->category, c->grid,
	    (enum juris_level)c->level, &r, NULL, 0) == 0) {
		jbuf_open(b);
		put_str(b, "lead", r.lead->code);
		put_str(b, "lead_name", r.lead->name);
		put_str(b, "reason", r.reason);
		put_str(b, "level", juris_level_name((enum juris_level)
		    c->level));
		put_bool(b, "fallback", r.below);
		jbuf_close(b);
	} else if (shape == CJ_QUEUE && k != NULL &&
	    (g = refdata_juris(rd, c->grid)) != NULL &&
	    (u = route_find_at(rd, k, g, (enum juris_level)c->level,
	    NULL)) != NULL) {
		jbuf_open(b);
		put_str(b, "lead", u->lead->code);
		put_str(b, "lead_name", u->lead->name);
		jbuf_close(b);
	} else
		jbuf_null(b);
}

/* Names of the codes, and the suggested lead. */
static void
casejson_names(struct jbuf *b, const struct store_case *c,
    const struct refdata *rd, enum casejson_shape shape)
{
	const struct juris	*t = refdata_juris(rd, c->township);
	const struct category	*k = refdata_category(rd, c->category);
	const struct agency	*a = c->agency ? refdata_agency(rd, c->agency)
				    : NULL;

	put_str(b, "township_name", t ? t->name : NULL);
	put_str(b, "category_name", k ? k->name : NULL);
	put_str(b, "platform", k ? platform_name(k->platform) : NULL);
	put_str(b, "agency_name", a ? a->name : NULL);
	casejson_route(b, c, rd, k, shape);
}

/* The fields only the whole case has. */
static void
casejson_rest(struct jbuf *b, const struct store_case *c)
{
	put_str(b, "grid", c->grid);
	put_str(b, "township", c->township);
	put_str(b, "district", c->district);
	put_str(b, "category", c->category);
	put_str(b, "address", c->address);
	put_str(b, "reporter", c->reporter);
	put_str(b, "source", c->source);
	put_str(b, "id", c->ext_id);
	put_time(b, "updated_at", c->updated_at);
	put_time(b, "closed_at", c->closed_at);
	put_str(b, "support", c->support);
	put_str(b, "level", juris_level_name((enum juris_level)c->level));
	put_int(b, "limit", c->limit);
	put_str(b, "unit", calendar_unit_name(c->unit));
	put_int(b, "presses", c->presses);
	put_str(b, "merged_into", c->merged_no);
	if (c->has_location) {
		jbuf_key(b, "location");
		jbuf_open(b);
		jbuf_key(b, "lat");
		jbuf_num(b, c->lat);
		jbuf_key(b, "lon");
		jbuf_num(b, c->lon);
		jbuf_close(b);
	}
}

void
casejson_write(struct jbuf *b, const struct store_case *c,
    const struct refdata *rd, enum casejson_shape shape)
{
	const struct juris	*d;

	jbuf_open(b);
	casejson_queue(b, c);
	if (shape == CJ_FULL)
		casejson_rest(b, c);
	if (rd != NULL) {
		casejson_names(b, c, rd, shape);
		if (shape == CJ_FULL) {
			d = refdata_juris(rd, c->district);
			put_str(b, "district_name", d ? d->name : NULL);
		}
	}
	jbuf_close(b);
}

void
casejson_write_event(struct jbuf *b, const struct store_event *e)
{
	jbuf_open(b);
	put_int(b, "seq", e->seq);
	put_str(b, "case", e->case_no);
	put_int(b, "version", e->version);
	put_time(b, "at", e->at);
	put_str(b, "actor", e->actor);
	put_str(b, "action", e->action);
	put_str(b, "from", e->from_state);
	put_str(b, "to", e->to_state);
	put_str(b, "agency", e->agency);
	put_str(b, "reason_code", e->reason_code);
	put_str(b, "reason", e->reason);
	jbuf_key(b, "detail");
	/* written by core's own writer when the event was stored */
	if (e->detail != NULL && e->detail[0] == '{')
		jbuf_raw(b, e->detail);
	else
		jbuf_null(b);
	jbuf_close(b);
}

void
casejson_write_message(struct jbuf *b, int64_t seq,
    const struct store_case *c, const struct refdata *rd,
    const struct store_event *e)
{
	jbuf_open(b);
	put_int(b, "seq", seq);
	put_str(b, "type", (e != NULL ? strcmp(e->action, "report") == 0 :
	    c->version == 1) ? "case.created" : "case.updated");
	jbuf_key(b, "case");
	casejson_write(b, c, rd, CJ_FULL);
	if (e != NULL) {
		jbuf_key(b, "event");
		casejson_write_event(b, e);
	}
	jbuf_close(b);
}

/* Parse what a writer wrote (cold paths: one case in a reply). */
static json_t *
casejson_parsed(struct jbuf *b)
{
	json_t	*v = NULL;

	if (jbuf_ok(b))
		v = json_loadb(b->p, b->n, 0, NULL);
	jbuf_free(b);
	return v;
}

json_t *
casejson_case(const struct store_case *c, const struct refdata *rd)
{
	struct jbuf	b;

	jbuf_init(&b);
	casejson_write(&b, c, rd, CJ_FULL);
	return casejson_parsed(&b);
}

json_t *
casejson_event(const struct store_event *e)
{
	struct jbuf	b;

	jbuf_init(&b);
	casejson_write_event(&b, e);
	return casejson_parsed(&b);
}
