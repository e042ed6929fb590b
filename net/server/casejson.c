/*
 * casejson.c: case and event JSON (see casejson.h).
 */
#include <stdlib.h>
#include <string.h>

#include "casejson.h"
#include "gltime.h"
#include "route.h"

/* Digits, '-', ':', 'T' and '+' only: no escaping to look for, so the
 * quotes go around it in the buffer and the whole is one copy. */
void
casejson_write_time(struct jbuf *b, time_t t)
{
	char	buf[48];
	size_t	n;

	if (t == 0) {
		jbuf_null(b);
		return;
	}
	buf[0] = '"';
	n = gltime_format(t, GLTIME_CHINA, buf + 1, sizeof buf - 2);
	if (n >= sizeof buf - 2)
		n = sizeof buf - 3;
	buf[n + 1] = '"';
	jbuf_rawn(b, buf, n + 2);
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

/* key: the string, or null when absent or empty. The keys are literals
 * (the macros below), so their lengths are known when compiling: a
 * snapshot page writes 40,000 of them. */
static void
put_str(struct jbuf *b, const char *key, size_t klen, const char *v)
{
	jbuf_keyn(b, key, klen);
	jbuf_str(b, v != NULL && v[0] != '\0' ? v : NULL);
}

static void
put_int(struct jbuf *b, const char *key, size_t klen, int64_t v)
{
	jbuf_keyn(b, key, klen);
	jbuf_int(b, v);
}

static void
put_bool(struct jbuf *b, const char *key, size_t klen, int v)
{
	jbuf_keyn(b, key, klen);
	jbuf_bool(b, v);
}

static void
put_time(struct jbuf *b, const char *key, size_t klen, time_t t)
{
	jbuf_keyn(b, key, klen);
	casejson_write_time(b, t);
}

#define PUT_STR(b, k, v)	put_str((b), "" k, sizeof (k) - 1, (v))
#define PUT_INT(b, k, v)	put_int((b), "" k, sizeof (k) - 1, (v))
#define PUT_BOOL(b, k, v)	put_bool((b), "" k, sizeof (k) - 1, (v))
#define PUT_TIME(b, k, v)	put_time((b), "" k, sizeof (k) - 1, (v))

/* What a queue shows and sorts by, from the case alone. */
static void
casejson_queue(struct jbuf *b, const struct store_case *c)
{
	PUT_STR(b, "no", c->no);
	PUT_INT(b, "version", c->version);
	PUT_STR(b, "state", case_state_name(c->state));
	PUT_INT(b, "priority", c->priority);
	PUT_STR(b, "summary", c->summary);
	PUT_TIME(b, "reported_at", c->reported_at);
	PUT_TIME(b, "created_at", c->created_at);
	PUT_TIME(b, "due_at", c->due_at);
	PUT_BOOL(b, "paused", c->paused_at != 0);
	PUT_BOOL(b, "ext_pending", c->ext_pending);
	PUT_INT(b, "returns", c->returns);
	PUT_INT(b, "reworks", c->reworks);
	PUT_BOOL(b, "disputed", case_disputed(c->returns));
	PUT_STR(b, "duplicate_of", c->duplicate_no);
	PUT_STR(b, "agency", c->agency);
	PUT_STR(b, "township", c->township);	/* a console's reach */
	PUT_TIME(b, "dispatched_at", c->dispatched_at);
	PUT_STR(b, "id", c->ext_id);		/* a script's {ID} */
}

/* The suggested lead at the case's level (an escalated case: the lead of
 * the level it was escalated to); with the list row that decided it, the
 * level and whether that level had a row of its own in the full shape
 * (the queue does not need them, and building the reason costs text). */
/* The deciding row in parts, for a client to word in its own language,
 * and the supporting agencies it lists (added on dispatch by default). */
static void
casejson_rule(struct jbuf *b, const struct route *r)
{
	const struct duty	*u = r->duty;
	const char		*slash = strrchr(u->file, '/');
	size_t			 i;

	JBUF_KEY(b, "rule");
	jbuf_open(b);
	PUT_STR(b, "file", slash != NULL ? slash + 1 : u->file);
	PUT_INT(b, "line", u->line);
	PUT_STR(b, "category", r->category->code);
	PUT_STR(b, "category_name", r->category->name);
	PUT_STR(b, "juris", u->juris->code);
	PUT_STR(b, "juris_name", u->juris->name);
	jbuf_close(b);
	JBUF_KEY(b, "support");
	jbuf_arr_open(b);
	for (i = 0; i < u->nsupport; i++) {
		jbuf_elem(b);
		jbuf_str(b, u->support[i]->code);
	}
	jbuf_arr_close(b);
}

static void
casejson_route(struct jbuf *b, const struct store_case *c,
    const struct refdata *rd, const struct category *k,
    enum casejson_shape shape)
{
	const struct juris	*g;
	const struct duty	*u;
	struct route		 r;

	JBUF_KEY(b, "route");
	if (shape == CJ_FULL && route_case_at(rd, c->category, c->grid,
	    (enum juris_level)c->level, &r, NULL, 0) == 0) {
		jbuf_open(b);
		PUT_STR(b, "lead", r.lead->code);
		PUT_STR(b, "lead_name", r.lead->name);
		PUT_STR(b, "reason", r.reason);
		PUT_STR(b, "level", juris_level_name((enum juris_level)
		    c->level));
		PUT_BOOL(b, "fallback", r.below);
		casejson_rule(b, &r);
		jbuf_close(b);
	} else if (shape == CJ_QUEUE && k != NULL &&
	    (g = refdata_juris(rd, c->grid)) != NULL &&
	    (u = route_find_at(rd, k, g, (enum juris_level)c->level,
	    NULL)) != NULL) {
		jbuf_open(b);
		PUT_STR(b, "lead", u->lead->code);
		PUT_STR(b, "lead_name", u->lead->name);
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

	PUT_STR(b, "township_name", t ? t->name : NULL);
	PUT_STR(b, "category_name", k ? k->name : NULL);
	PUT_STR(b, "platform", k ? platform_name(k->platform) : NULL);
	PUT_STR(b, "agency_name", a ? a->name : NULL);
	/* beyond the holiday table: counted on weekdays alone */
	PUT_BOOL(b, "due_provisional", calendar_provisional(
	    refdata_calendar(rd), c->due_at));
	casejson_route(b, c, rd, k, shape);
}

/* The fields only the whole case has. */
static void
casejson_rest(struct jbuf *b, const struct store_case *c)
{
	PUT_STR(b, "grid", c->grid);
	PUT_STR(b, "district", c->district);
	PUT_STR(b, "category", c->category);
	PUT_STR(b, "address", c->address);
	PUT_STR(b, "reporter", c->reporter);
	PUT_STR(b, "source", c->source);
	PUT_TIME(b, "updated_at", c->updated_at);
	PUT_TIME(b, "closed_at", c->closed_at);
	PUT_STR(b, "support", c->support);
	PUT_STR(b, "level", juris_level_name((enum juris_level)c->level));
	PUT_INT(b, "limit", c->limit);
	PUT_STR(b, "unit", calendar_unit_name(c->unit));
	PUT_INT(b, "presses", c->presses);
	PUT_STR(b, "merged_into", c->merged_no);
	/* the latest 12345 call-back (回访), null without one */
	PUT_STR(b, "callback", c->callback[0] ? c->callback : NULL);
	PUT_TIME(b, "callback_at", c->callback_at);
	/* the sender's photo URLs, as the JSON array text the store keeps
	 * (wire.c wrote it); absent when none were sent, as location is, so
	 * that a recording (`feed record`) gives the item back whole */
	if (c->photos != NULL && c->photos[0] == '[') {
		JBUF_KEY(b, "photos");
		jbuf_raw(b, c->photos);
	}
	if (c->has_location) {
		JBUF_KEY(b, "location");
		jbuf_open(b);
		JBUF_KEY(b, "lat");
		jbuf_num(b, c->lat);
		JBUF_KEY(b, "lon");
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
			PUT_STR(b, "district_name", d ? d->name : NULL);
		}
	}
	jbuf_close(b);
}

void
casejson_write_event(struct jbuf *b, const struct store_event *e)
{
	jbuf_open(b);
	PUT_INT(b, "seq", e->seq);
	PUT_STR(b, "case", e->case_no);
	PUT_INT(b, "version", e->version);
	PUT_TIME(b, "at", e->at);
	PUT_STR(b, "actor", e->actor);
	PUT_STR(b, "action", e->action);
	PUT_STR(b, "from", e->from_state);
	PUT_STR(b, "to", e->to_state);
	PUT_STR(b, "agency", e->agency);
	PUT_STR(b, "reason_code", e->reason_code);
	PUT_STR(b, "reason", e->reason);
	JBUF_KEY(b, "detail");
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
	PUT_INT(b, "seq", seq);
	PUT_STR(b, "type", (e != NULL ? strcmp(e->action, "report") == 0 :
	    c->version == 1) ? "case.created" : "case.updated");
	JBUF_KEY(b, "case");
	casejson_write(b, c, rd, CJ_FULL);
	if (e != NULL) {
		JBUF_KEY(b, "event");
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
