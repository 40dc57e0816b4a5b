/* causes-doc.c — print the cause catalogue as Markdown (docs/causes.md is
 * this output plus the bundled captures that show each cause; the "docs" test
 * rebuilds it and fails when the committed file has drifted).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "causes/catalogue.h"

static const char *const severity[] = { "chat", "note", "warning", "error" };
static const char *const group[] = { "protocol", "security", "sequence", "malformed" };

int
main(void)
{
    for (int i = 0; i < TLSDIAG_CAUSE_COUNT; i++) {
        const tlsdiag_cause_info *c = tlsdiag_cause_get((tlsdiag_cause)i);
        printf("## `%s` — %s\n\n", c->token, c->title);
        printf("Severity: %s (expert group %s). Filter: `tlsdiag.cause == \"%s\"`, or the expert info "
               "`tlsdiag.expert.%s`.\n\n", severity[c->severity], group[c->group], c->token, c->token);
        printf("**What it means.** %s\n\n", c->explanation);
        printf("**On the wire, and how to confirm it.** %s\n\n", c->wire);
        printf("**What to do.** %s\n\n", c->remedy);
        printf("@CAPTURES %s@\n\n", c->token);
    }
    return 0;
}
