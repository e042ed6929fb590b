/*
 * chain.c: one link of the event log's hash chain (see chain.h).
 */
#include <string.h>

#include <sodium.h>

#include "chain.h"

static void
chain_put(crypto_generichash_state *st, const void *p, size_t len)
{
	unsigned char	n[8];
	uint64_t	v = p != NULL ? (uint64_t)len : UINT64_MAX;
	int		i;

	for (i = 0; i < 8; i++)
		n[i] = (unsigned char)(v >> (8 * i));
	crypto_generichash_update(st, n, sizeof n);
	if (p != NULL && len > 0)
		crypto_generichash_update(st, p, len);
}

static void
chain_str(crypto_generichash_state *st, const char *s)
{
	chain_put(st, s, s != NULL ? strlen(s) : 0);
}

static void
chain_int(crypto_generichash_state *st, int64_t v)
{
	unsigned char	b[8];
	int		i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)((uint64_t)v >> (8 * i));
	chain_put(st, b, sizeof b);
}

int
chain_hash(const unsigned char *prev, const struct chain_row *r,
    unsigned char hash[CHAIN_HASH_BYTES])
{
	static const unsigned char zero[CHAIN_HASH_BYTES];
	crypto_generichash_state	st;

	if (sodium_init() < 0)
		return -1;
	crypto_generichash_init(&st, NULL, 0, CHAIN_HASH_BYTES);
	crypto_generichash_update(&st, prev != NULL ? prev : zero,
	    CHAIN_HASH_BYTES);
	chain_int(&st, r->case_id);
	chain_int(&st, r->version);
	chain_int(&st, r->at);
	chain_str(&st, r->actor);
	chain_str(&st, r->action);
	chain_str(&st, r->from);
	chain_str(&st, r->to);
	chain_str(&st, r->agency);
	chain_str(&st, r->code);
	chain_str(&st, r->reason);
	chain_str(&st, r->detail);
	chain_put(&st, r->signer_key, 32);
	chain_put(&st, r->sig, 64);
	chain_put(&st, r->request, r->request_len);
	crypto_generichash_final(&st, hash, CHAIN_HASH_BYTES);
	return 0;
}
