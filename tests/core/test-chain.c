/*
 * test-chain.c: core/chain.c, one link of the event log's hash chain.
 *
 * The same row and the same previous hash give the same hash; any one
 * field changed (each in turn, including NULL against "" and a signature
 * against none) gives another; so does another previous hash, and the
 * chain of no previous row is the chain of 32 zero bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "chain.h"

static const unsigned char	key[32] = { 1, 2, 3 }, sig[64] = { 4, 5, 6 };

static void
base(struct chain_row *r)
{
	memset(r, 0, sizeof *r);
	r->case_id = 42;
	r->version = 3;
	r->at = 1796000000;
	r->actor = "王调度";
	r->action = "dispatch";
	r->from = "registered";
	r->to = "dispatched";
	r->agency = "330203.ZF";
	r->reason = "井盖缺失";
	r->detail = "{}";
	r->signer_key = key;
	r->sig = sig;
	r->request = "{\"op\":\"dispatch\"}";
	r->request_len = strlen(r->request);
}

static void
test_chain(void **state)
{
	unsigned char		 h0[CHAIN_HASH_BYTES], h[CHAIN_HASH_BYTES];
	unsigned char		 zero[CHAIN_HASH_BYTES] = { 0 };
	struct chain_row	 r;
	int			 i, same = 0;

	(void)state;
	base(&r);
	assert_int_equal(chain_hash(NULL, &r, h0), 0);
	assert_int_equal(chain_hash(zero, &r, h), 0);
	assert_memory_equal(h0, h, sizeof h);
	for (i = 0; i < 17; i++) {
		base(&r);
		switch (i) {
		case 0: r.case_id = 43; break;
		case 1: r.version = 4; break;
		case 2: r.at++; break;
		case 3: r.actor = "王调庆"; break;
		case 4: r.action = "return"; break;
		case 5: r.from = NULL; break;
		case 6: r.to = "returned"; break;
		case 7: r.agency = ""; break;
		case 8: r.code = "other"; break;
		case 9: r.reason = "井盖缺失 "; break;
		case 10: r.detail = NULL; break;
		case 11: r.signer_key = NULL; break;
		case 12: r.sig = NULL; break;
		case 13: r.request = NULL; r.request_len = 0; break;
		case 14: r.request_len--; break;
		case 15: r.reason = NULL; break;
		case 16: r.agency = NULL; break;
		}
		assert_int_equal(chain_hash(NULL, &r, h), 0);
		if (memcmp(h, h0, sizeof h) == 0) {
			fprintf(stderr, "  field change %d: the same hash\n", i);
			same++;
		}
	}
	base(&r);
	assert_int_equal(chain_hash(h0, &r, h), 0);	/* another prev */
	assert_memory_not_equal(h, h0, sizeof h);
	assert_int_equal(same, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
