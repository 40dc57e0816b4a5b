/* causes/catalogue.c — the cause catalogue, one row per line of causes/causes.def.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "causes/catalogue.h"

static const tlsdiag_cause_info cause_table[TLSDIAG_CAUSE_COUNT] = {
#define CAUSE(id, token, title, severity, group, when, explanation, remedy, wire) \
    { TLSDIAG_CAUSE_##id, token, title, TLSDIAG_SEV_##severity, TLSDIAG_GROUP_##group, when, explanation, remedy, wire },
#include "causes/causes.def"
#undef CAUSE
};

const tlsdiag_cause_info *
tlsdiag_cause_get(tlsdiag_cause id)
{
    if ((unsigned)id >= TLSDIAG_CAUSE_COUNT)
        return NULL;
    return &cause_table[id];
}
