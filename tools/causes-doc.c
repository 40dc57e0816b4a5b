/* causes-doc.c — the cause catalogue (causes/causes.def) as text:
 *
 *   causes-doc            Markdown, one section per cause (docs/causes.md is
 *                         this plus the bundled captures, by tools/causes-doc.sh)
 *   causes-doc --readme   the README's table of causes
 *   causes-doc --tokens   the tokens, one per line
 *
 * The docs tests rebuild each and fail when a committed copy has drifted.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "causes/catalogue.h"

static const char *const severity[] = { "chat", "note", "warning", "error" };
static const char *const group[] = { "protocol", "security", "sequence", "malformed" };

static void
section(const tlsdiag_cause_info *c)
{
    printf("## `%s` — %s\n\n", c->token, c->title);
    printf("Severity: %s (expert group %s). Filter: `tlsdiag.cause == \"%s\"`, or the expert info "
           "`tlsdiag.expert.%s`.\n\n", severity[c->severity], group[c->group], c->token, c->token);
    printf("**What it means.** %s\n\n", c->explanation);
    printf("**On the wire, and how to confirm it.** %s\n\n", c->wire);
    printf("**What to do.** %s\n\n", c->remedy);
    printf("@CAPTURES %s@\n\n", c->token);
}

int
main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";

    if (!strcmp(mode, "--readme"))
        printf("| token | severity | when |\n|---|---|---|\n");
    for (int i = 0; i < TLSDIAG_CAUSE_COUNT; i++) {
        const tlsdiag_cause_info *c = tlsdiag_cause_get((tlsdiag_cause)i);
        if (!strcmp(mode, "--readme"))
            printf("| `%s` | %s | %s |\n", c->token, severity[c->severity], c->when);
        else if (!strcmp(mode, "--tokens"))
            printf("%s\n", c->token);
        else
            section(c);
    }
    return 0;
}
