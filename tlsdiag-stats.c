/* tlsdiag-stats.c — the "TLS Diagnostics" statistics tree (Statistics menu,
 * tshark -z tlsdiag,tree): the shape of a whole capture from the handshake
 * records the dissector taps.
 *
 * Recovery is known only once a later attempt succeeds: a failure first
 * counts as not recovered, and the success moves its chain's failures over.
 * Likewise a handshake counts as incomplete from its ClientHello until it
 * settles, so one the capture ends first stays there. That gives the same
 * numbers on one pass and on two.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/stats_tree.h>

#include "packet-tlsdiag.h"

static const char st_handshakes[] = "TLS handshakes";
static const char st_established[] = "Established";
static const char st_failed[] = "Failed";
static const char st_recovered[] = "Client recovered later";
static const char st_not_recovered[] = "Client did not recover";
/* The rest of the failures, so that the three add up to them. */
static const char st_not_in_chain[] = "Not in an attempt chain (no ClientHello, or a renegotiation)";
static const char st_incomplete[] = "Incomplete (the capture holds only part of it)";
static const char st_abandoned[] = "Abandoned (the client closed before the server could answer)";
static const char st_fallback[] = "Fallback attempts (TLS_FALLBACK_SCSV)";
static const char st_causes[] = "Failures by cause";
static const char st_servers[] = "Failures by server";
static const char st_clients[] = "Failures by client";
static const char st_senders[] = "Failures by who ended them";

static int st_node_handshakes, st_node_failed, st_node_causes, st_node_servers, st_node_clients, st_node_senders;

static void
tlsdiag_stats_init(stats_tree *st)
{
    st_node_handshakes = stats_tree_create_node(st, st_handshakes, 0, STAT_DT_INT, TRUE);
    stats_tree_create_node(st, st_established, st_node_handshakes, STAT_DT_INT, FALSE);
    st_node_failed = stats_tree_create_node(st, st_failed, st_node_handshakes, STAT_DT_INT, TRUE);
    stats_tree_create_node(st, st_recovered, st_node_failed, STAT_DT_INT, FALSE);
    stats_tree_create_node(st, st_not_recovered, st_node_failed, STAT_DT_INT, FALSE);
    stats_tree_create_node(st, st_not_in_chain, st_node_failed, STAT_DT_INT, FALSE);
    stats_tree_create_node(st, st_incomplete, st_node_handshakes, STAT_DT_INT, FALSE);
    stats_tree_create_node(st, st_abandoned, st_node_handshakes, STAT_DT_INT, FALSE);
    stats_tree_create_node(st, st_fallback, 0, STAT_DT_INT, FALSE);
    st_node_causes = stats_tree_create_node(st, st_causes, 0, STAT_DT_INT, TRUE);
    st_node_servers = stats_tree_create_node(st, st_servers, 0, STAT_DT_INT, TRUE);
    st_node_clients = stats_tree_create_node(st, st_clients, 0, STAT_DT_INT, TRUE);
    st_node_senders = stats_tree_create_node(st, st_senders, 0, STAT_DT_INT, TRUE);
}

/* Count a failure (n = 1) or take it back (n = -1). */
static void
count_failure(stats_tree *st, const tlsdiag_handshake *hs, const tlsdiag_verdict *v, int n)
{
    increase_stat_node(st, st_failed, st_node_handshakes, TRUE, n);
    increase_stat_node(st, hs->attempt ? st_not_recovered : st_not_in_chain, st_node_failed, FALSE, n);
    /* Each group counts failures; a failure can have several causes. */
    increase_stat_node(st, st_causes, 0, TRUE, n);
    for (guint i = 0; v && i < v->n_causes; i++)
        increase_stat_node(st, tlsdiag_cause_get(v->causes[i])->token, st_node_causes, FALSE, n);
    increase_stat_node(st, st_servers, 0, TRUE, n);
    increase_stat_node(st, hs->service ? hs->service : "(not known: no ClientHello)", st_node_servers, FALSE, n);
    increase_stat_node(st, st_clients, 0, TRUE, n);
    increase_stat_node(st, hs->client ? hs->client : "(not known: no ClientHello)", st_node_clients, FALSE, n);
    increase_stat_node(st, st_senders, 0, TRUE, n);
    increase_stat_node(st, val_to_str_const(v ? v->sender : 0, tlsdiag_sender_vals, "not known"), st_node_senders,
                       FALSE, n);
}

/* Count a success (n = 1) or take it back (n = -1): every earlier attempt
 * of its chain failed, and recovered by it. */
static void
count_established(stats_tree *st, const tlsdiag_handshake *hs, int n)
{
    increase_stat_node(st, st_established, st_node_handshakes, FALSE, n);
    if (hs->attempt > 1) {
        increase_stat_node(st, st_recovered, st_node_failed, FALSE, n * (gint)(hs->attempt - 1));
        increase_stat_node(st, st_not_recovered, st_node_failed, FALSE, -n * (gint)(hs->attempt - 1));
    }
}

static tap_packet_status
tlsdiag_stats_packet(stats_tree *st, packet_info *pinfo _U_, epan_dissect_t *edt _U_, const void *p,
                     tap_flags_t flags _U_)
{
    const tlsdiag_tap_data *d = p;
    const tlsdiag_handshake *hs = d->hs;

    /* Seen at its ClientHello, or when settled if the capture began after it. */
    if (!d->settled || !hs->client_hello_frame)
        tick_stat_node(st, st_handshakes, 0, TRUE);
    if (!d->settled) {
        tick_stat_node(st, st_incomplete, st_node_handshakes, FALSE);
        if (hs->flags & TLSDIAG_HS_FALLBACK_SCSV)
            tick_stat_node(st, st_fallback, 0, FALSE);
        return TAP_PACKET_REDRAW;
    }
    /* What this pass counted when it settled before is taken back: it
     * counts as open again until below. */
    if (d->undo)
        count_failure(st, hs, d->undo, -1);
    if (d->undo_established)
        count_established(st, hs, -1);
    if ((d->undo || d->undo_established) && hs->client_hello_frame)
        tick_stat_node(st, st_incomplete, st_node_handshakes, FALSE);
    /* A frame that said something of a handshake still open (a ClientHello resent). */
    if (hs->outcome == TLSDIAG_OUTCOME_PENDING)
        return d->undo ? TAP_PACKET_REDRAW : TAP_PACKET_DONT_REDRAW;
    if (hs->client_hello_frame)
        increase_stat_node(st, st_incomplete, st_node_handshakes, FALSE, -1);
    switch (hs->outcome) {
    case TLSDIAG_OUTCOME_ESTABLISHED:
        count_established(st, hs, 1);
        break;
    case TLSDIAG_OUTCOME_FAILED:
        count_failure(st, hs, hs->verdict, 1);
        break;
    case TLSDIAG_OUTCOME_INCOMPLETE:
        tick_stat_node(st, st_incomplete, st_node_handshakes, FALSE);
        break;
    case TLSDIAG_OUTCOME_ABANDONED:
    default:                    /* (pending returned above) */
        tick_stat_node(st, st_abandoned, st_node_handshakes, FALSE);
        break;
    }
    return TAP_PACKET_REDRAW;
}

void
register_tlsdiag_stats_tree(void)
{
    stats_tree_register_plugin(TLSDIAG_TAP, "tlsdiag", "TLS Diagnostics", 0, tlsdiag_stats_packet,
                               tlsdiag_stats_init, NULL);
}
