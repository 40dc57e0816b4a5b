/* packet-tlsdiag.c — TLS Diagnostics post-dissector: reads Wireshark's own TCP
 * and TLS fields, feeds the core, and shows its verdicts as tree items and
 * expert infos.
 *
 * Fields are primed only on a frame's first dissection, so the analysis runs
 * once (when the frame is not yet visited) and its result — a pointer to the
 * core's handshake record — is kept in file scope; every later dissection
 * (tshark -2, the GUI's details pane, Expert Information) redraws from it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/expert.h>
#include <epan/proto_data.h>
#include <epan/prefs.h>
#include <epan/tap.h>

#include "packet-tlsdiag.h"
#include "tlsdiag-frame.h"
#include "causes/judge.h"

static int proto_tlsdiag = -1;

static int hf_tlsdiag_cause = -1;
static int hf_tlsdiag_summary = -1;
static int hf_tlsdiag_outcome = -1;
static int hf_tlsdiag_handshake_frame = -1;
static int hf_tlsdiag_evidence = -1;
static int hf_tlsdiag_explanation = -1;
static int hf_tlsdiag_remedy = -1;
static int hf_tlsdiag_client = -1;
static int hf_tlsdiag_attempt_number = -1;
static int hf_tlsdiag_attempt_prev = -1;
static int hf_tlsdiag_attempt_next = -1;
static int hf_tlsdiag_attempt_delta = -1;
static int hf_tlsdiag_attempt_summary = -1;
static int hf_tlsdiag_recovered = -1;
static int hf_tlsdiag_recovered_in = -1;
static int hf_tlsdiag_history = -1;
static int hf_tlsdiag_cert_subject = -1;
static int hf_tlsdiag_cert_issuer = -1;
static int hf_tlsdiag_cert_not_after = -1;
static int hf_tlsdiag_sender = -1;
static int hf_tlsdiag_sender_reasons = -1;

static gint ett_tlsdiag = -1;
static gint ett_tlsdiag_cause = -1;
static gint ett_tlsdiag_sender = -1;
static gint ett_tlsdiag_text = -1;

/* Characters per line of tlsdiag's longer texts in the details pane. */
#define TLSDIAG_LINE_WIDTH 100

/* Per cause, under one name: the catalogue's severity, and (once the whole
 * capture is known) a note when the client recovered, an error when not. */
static expert_field ei_tlsdiag_cause[TLSDIAG_CAUSE_COUNT];
static expert_field ei_tlsdiag_cause_recovered[TLSDIAG_CAUSE_COUNT];
static expert_field ei_tlsdiag_cause_not_recovered[TLSDIAG_CAUSE_COUNT];
static expert_field ei_tlsdiag_cause_went_on[TLSDIAG_CAUSE_COUNT];

static tlsdiag_options tlsdiag_prefs;
/* The core keeps gboolean: the preference lives here, tlsdiag_init() copies it. */
static tlsdiag_pref_bool pref_client_from_proxy;

static dissector_handle_t tlsdiag_handle;
static int tlsdiag_tap = -1;
static tlsdiag_core *tlsdiag_state;
/* The first pass's last frame so far, and its time: where the capture ends,
 * for the handshakes it leaves open. */
static guint32 first_pass_frame;
static nstime_t first_pass_ts;
/* ICMP's fields are wanted once a DTLS association is (tlsdiag_fields_wanted). */
static gboolean wanting_icmp;

const value_string tlsdiag_sender_vals[] = {
    { TLSDIAG_SENDER_SERVER, "server" },
    { TLSDIAG_SENDER_CLIENT, "client" },
    { TLSDIAG_SENDER_PATH,   "path (likely)" },
    { 0, NULL }
};

static const char *
outcome_token(guint8 outcome)
{
    switch (outcome) {
    case TLSDIAG_OUTCOME_ESTABLISHED: return "established";
    case TLSDIAG_OUTCOME_FAILED:      return "failed";
    case TLSDIAG_OUTCOME_INCOMPLETE:  return "incomplete";
    case TLSDIAG_OUTCOME_ABANDONED:   return "abandoned";
    default:                          return NULL;
    }
}

static void
add_frame(proto_tree *tree, int hf, tvbuff_t *tvb, guint32 frame)
{
    proto_item_set_generated(proto_tree_add_uint(tree, hf, tvb, 0, 0, frame));
}

typedef struct {
    proto_tree  *tree;
    tvbuff_t    *tvb;
} text_lines;

static void
add_line(const char *line, gsize len, void *data)
{
    const text_lines *l = data;
    proto_item *it;
    proto_tree_add_subtree_format(l->tree, l->tvb, 0, 0, ett_tlsdiag_text, &it, "%.*s", (int)len, line);
    proto_item_set_generated(it);
}

/* A text field, whole for filters, -T fields and -T json. In a tree that is
 * shown, when "Name: text" is longer than a line (or always: as_lines), it
 * reads "Name" with the text as lines under it, as Wireshark would cut it at
 * 240 characters and a long line runs past the pane's edge. */
static void
add_text(proto_tree *tree, int hf, tvbuff_t *tvb, const char *text, gboolean as_lines)
{
    proto_item *it = proto_tree_add_string(tree, hf, tvb, 0, 0, text);
    const char *name = proto_registrar_get_name(hf);

    proto_item_set_generated(it);
    if (!tree || !PTREE_DATA(tree)->visible || (!as_lines && strlen(name) + 2 + strlen(text) <= TLSDIAG_LINE_WIDTH))
        return;
    proto_item_set_text(it, "%s", name);
    text_lines l = { proto_item_add_subtree(it, ett_tlsdiag_text), tvb };
    tlsdiag_lines(text, TLSDIAG_LINE_WIDTH, add_line, &l);
}

/* The attempt chain: who the client is and which attempt this is on the
 * ClientHello; whether the client recovered on a failure once the whole
 * capture is known (visited). */
static void
show_attempt(tvbuff_t *tvb, proto_tree *dt, const tlsdiag_handshake *hs, gboolean hello, gboolean visited,
             const char *story)
{
    const tlsdiag_handshake *prev = tlsdiag_hs_prev(hs), *next = tlsdiag_hs_next(hs), *ok = tlsdiag_hs_recovered_by(hs);

    if (!hs->attempt)
        return;
    if (hello) {
        proto_item_set_generated(proto_tree_add_string(dt, hf_tlsdiag_client, tvb, 0, 0, hs->client));
        proto_item_set_generated(proto_tree_add_uint(dt, hf_tlsdiag_attempt_number, tvb, 0, 0, hs->attempt));
        if (prev) {
            nstime_t delta;
            gint64 ns = tlsdiag_hs_hello_ns(hs) - tlsdiag_hs_hello_ns(prev);
            add_frame(dt, hf_tlsdiag_attempt_prev, tvb, prev->client_hello_frame);
            delta.secs = (time_t)(ns / 1000000000);
            delta.nsecs = (int)(ns % 1000000000);
            proto_item_set_generated(proto_tree_add_time(dt, hf_tlsdiag_attempt_delta, tvb, 0, 0, &delta));
        }
        if (visited && next)
            add_frame(dt, hf_tlsdiag_attempt_next, tvb, next->client_hello_frame);
    }
    if (visited && hs->outcome == TLSDIAG_OUTCOME_FAILED) {
        proto_item_set_generated(proto_tree_add_boolean(dt, hf_tlsdiag_recovered, tvb, 0, 0, ok != NULL));
        if (ok)
            add_frame(dt, hf_tlsdiag_recovered_in, tvb, ok->client_hello_frame);
    }
    if (story)
        add_text(dt, hf_tlsdiag_attempt_summary, tvb, story, FALSE);
}

/* Which of a cause's expert infos: once the capture is known, a failure is
 * marked by whether its client recovered; a handshake that went on despite
 * the cause (a certificate not checked), or that a single pass has not yet
 * seen end (a ClientHello sent again and again so far), makes it a warning
 * at most. */
static expert_field *
cause_expert(const tlsdiag_handshake *hs, tlsdiag_cause id, gboolean visited)
{
    if ((hs->outcome == TLSDIAG_OUTCOME_ESTABLISHED || (hs->outcome == TLSDIAG_OUTCOME_PENDING && !visited)) &&
        tlsdiag_cause_get(id)->severity == TLSDIAG_SEV_ERROR)
        return &ei_tlsdiag_cause_went_on[id];
    if (!visited || hs->outcome != TLSDIAG_OUTCOME_FAILED || !hs->attempt || id == TLSDIAG_CAUSE_RETRY_STORM)
        return &ei_tlsdiag_cause[id];
    return tlsdiag_hs_recovered_by(hs) ? &ei_tlsdiag_cause_recovered[id] : &ei_tlsdiag_cause_not_recovered[id];
}

/* The expert info's message: the cause and what decided the handshake, in
 * one short sentence (the text under the cause has the rest), and once the
 * capture is known, whether the client recovered. */
/* One expert info per cause, on the deciding frame, "token: what[; recovered]."
 * (formatted once, by the expert info itself). */
static void
add_expert(packet_info *pinfo, proto_item *ci, const tlsdiag_handshake *hs, const tlsdiag_cause_info *info,
           gboolean visited)
{
    const char *what = tlsdiag_verdict_brief(hs->verdict) ? tlsdiag_verdict_brief(hs->verdict)
                       : hs->outcome != TLSDIAG_OUTCOME_ESTABLISHED ? info->title
                       : info->severity == TLSDIAG_SEV_ERROR ? "the handshake succeeded all the same"
                       : "the handshake succeeded";
    const char *recovered = "";

    if (visited && hs->outcome == TLSDIAG_OUTCOME_FAILED && hs->attempt && info->id != TLSDIAG_CAUSE_RETRY_STORM)
        recovered = tlsdiag_hs_recovered_by(hs) ? "; recovered" : "; not recovered";
    expert_add_info_format(pinfo, ci, cause_expert(hs, info->id, visited), "%s: %s%s.", info->token, what, recovered);
}

static void
show_handshake(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const tlsdiag_handshake *hs)
{
    const gboolean visited = PINFO_FD_VISITED(pinfo);
    const gboolean deciding = pinfo->num == hs->outcome_frame;
    const gboolean hello = pinfo->num == hs->client_hello_frame;
    const tlsdiag_verdict *v = hs->verdict;
    const char *outcome = NULL, *story;
    char buf[256], story_buf[512];

    /* The outcome on the frame that decided it; on a later pass the
     * ClientHello also says how things ended (or that the capture ended first). */
    if (deciding)
        outcome = outcome_token(hs->outcome);
    else if (hello && visited)
        outcome = hs->outcome == TLSDIAG_OUTCOME_PENDING ? "incomplete" : outcome_token(hs->outcome);

    const tlsdiag_leaf *leaf = tlsdiag_core_leaf(tlsdiag_state, hs);
    const gboolean cert = leaf && pinfo->num == leaf->frame;
    if (!deciding && !hello && !cert)
        return;

    proto_item *ti = proto_tree_add_item(tree, proto_tlsdiag, tvb, 0, 0, ENC_NA);
    proto_tree *dt = proto_item_add_subtree(ti, ett_tlsdiag);

    if (hs->client_hello_frame)
        add_frame(dt, hf_tlsdiag_handshake_frame, tvb, hs->client_hello_frame);
    if (outcome) {
        proto_item_set_generated(proto_tree_add_string(dt, hf_tlsdiag_outcome, tvb, 0, 0, outcome));
        proto_item_append_text(ti, ": %s", outcome);
    }
    if (cert) {
        if (leaf->subject)
            proto_item_set_generated(proto_tree_add_string(dt, hf_tlsdiag_cert_subject, tvb, 0, 0, leaf->subject));
        if (leaf->issuer)
            proto_item_set_generated(proto_tree_add_string(dt, hf_tlsdiag_cert_issuer, tvb, 0, 0, leaf->issuer));
        if (leaf->has_not_after) {
            nstime_t t = { (time_t)leaf->not_after, 0 };
            proto_item_set_generated(proto_tree_add_time(dt, hf_tlsdiag_cert_not_after, tvb, 0, 0, &t));
        }
    }
    if (!deciding && !hello)
        return;
    /* (Written only when shown, filtered on or exported, as the summary below.) */
    story = proto_field_is_referenced(dt, hf_tlsdiag_attempt_summary)
                ? tlsdiag_attempt_story(hs, visited, story_buf, sizeof story_buf) : NULL;
    show_attempt(tvb, dt, hs, hello, visited, story);
    if (!deciding && !(hello && visited))
        return;

    /* The two longest texts are written only when shown, filtered on or
     * exported (a tshark -Y run over a big capture needs neither). */
    if (proto_field_is_referenced(dt, hf_tlsdiag_summary))
        add_text(dt, hf_tlsdiag_summary, tvb, tlsdiag_handshake_summary(hs, visited, buf, sizeof buf), FALSE);
    if (proto_field_is_referenced(dt, hf_tlsdiag_history)) {
        GString *history = g_string_new(NULL);
        if (tlsdiag_history(hs, history))
            add_text(dt, hf_tlsdiag_history, tvb, history->str, TRUE);
        g_string_free(history, TRUE);
    }
    if (v && v->sender) {
        proto_item *si = proto_tree_add_string(dt, hf_tlsdiag_sender, tvb, 0, 0,
                                               val_to_str_const(v->sender, tlsdiag_sender_vals, "unknown"));
        proto_tree *st = proto_item_add_subtree(si, ett_tlsdiag_sender);
        proto_item_set_generated(si);
        /* (Written out only when shown, filtered on or exported, as the evidence below.) */
        if (proto_field_is_referenced(st, hf_tlsdiag_sender_reasons)) {
            char *why = tlsdiag_verdict_reasons(v);
            if (why)
                add_text(st, hf_tlsdiag_sender_reasons, tvb, why, FALSE);
            g_free(why);
        }
    }
    for (guint i = 0; v && i < v->n_causes; i++) {
        const tlsdiag_cause_info *info = tlsdiag_cause_get(v->causes[i]);
        proto_item *ci = proto_tree_add_string(dt, hf_tlsdiag_cause, tvb, 0, 0, info->token);
        proto_tree *ct = proto_item_add_subtree(ci, ett_tlsdiag_cause);
        proto_item_set_generated(ci);
        proto_item_append_text(ci, " (%s)", info->title);
        if (proto_field_is_referenced(ct, hf_tlsdiag_evidence)) {
            char *evidence = tlsdiag_verdict_evidence(v, i);
            add_text(ct, hf_tlsdiag_evidence, tvb, evidence, FALSE);
            g_free(evidence);
        }
        add_text(ct, hf_tlsdiag_explanation, tvb, info->explanation, FALSE);
        add_text(ct, hf_tlsdiag_remedy, tvb, info->remedy, FALSE);
        if (!deciding)
            continue;
        /* The dialog groups them by the cause's title. */
        add_expert(pinfo, ci, hs, info, visited);
        col_append_fstr(pinfo->cinfo, COL_INFO, " [tlsdiag: %s]", info->token);
    }
}

static void
tap_handshake(packet_info *pinfo, const tlsdiag_handshake *hs, gboolean settled)
{
    if (!have_tap_listener(tlsdiag_tap))
        return;
    tlsdiag_tap_data *d = wmem_new(pinfo->pool, tlsdiag_tap_data);
    d->hs = hs;
    d->settled = settled;
    /* A first pass counted the failure on an earlier frame; a later pass
     * never saw it as one. */
    d->undo = settled && !PINFO_FD_VISITED(pinfo) ? tlsdiag_core_superseded(tlsdiag_state, hs) : NULL;
    d->undo_established = settled && !PINFO_FD_VISITED(pinfo) && (hs->flags & TLSDIAG_HS_REFUSED);
    tap_queue_packet(tlsdiag_tap, pinfo, d);
}

static int
dissect_tlsdiag(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    const tlsdiag_handshake *hs;

    if (!tlsdiag_state)
        return 0;
    if (!PINFO_FD_VISITED(pinfo)) {
        tlsdiag_packet pkt;
        frame_scratch fs;
        first_pass_frame = pinfo->num;
        first_pass_ts = pinfo->abs_ts;
        /* Fields are only there on this first pass, and only with a tree. */
        if (!tree || !tlsdiag_read_frame(tvb, tree, pinfo, tlsdiag_state, &pkt, &fs))
            return 0;
        hs = tlsdiag_core_packet(tlsdiag_state, &pkt);
        /* (Priming is per packet: the next packet's fields.) */
        if ((pkt.flags & TLSDIAG_PKT_DTLS) && !wanting_icmp) {
            wanting_icmp = TRUE;
            set_postdissector_wanted_hfids(tlsdiag_handle, tlsdiag_fields_wanted(TRUE));
        }
    } else {
        tlsdiag_core_finish(tlsdiag_state, first_pass_frame,
                            (gint64)first_pass_ts.secs * 1000000000 + first_pass_ts.nsecs);
        hs = tlsdiag_core_shown(tlsdiag_state, pinfo->num);
    }
    if (!hs)
        return 0;
    show_handshake(tvb, pinfo, tree, hs);
    /* Once per pass: its ClientHello, and the frame that settled it. */
    if (pinfo->num == hs->client_hello_frame)
        tap_handshake(pinfo, hs, FALSE);
    if (pinfo->num == hs->outcome_frame)
        tap_handshake(pinfo, hs, TRUE);
    return tvb_captured_length(tvb);
}

static void
tlsdiag_init(void)
{
    tlsdiag_prefs.client_from_proxy = pref_client_from_proxy;
    tlsdiag_state = tlsdiag_core_new(&tlsdiag_prefs, tlsdiag_judge);
    first_pass_frame = 0;
    /* Wanting fields makes Wireshark build trees: only while we are enabled. */
    if (!proto_is_protocol_enabled(find_protocol_by_id(proto_tlsdiag)))
        return;
    /* Every protocol is registered by now: find the fields (a few dozen lookups). */
    tlsdiag_fields_resolve();
    tlsdiag_frame_init();
    wanting_icmp = FALSE;
    set_postdissector_wanted_hfids(tlsdiag_handle, tlsdiag_fields_wanted(FALSE));
}

static void
tlsdiag_cleanup(void)
{
    set_postdissector_wanted_hfids(tlsdiag_handle, NULL);
    tlsdiag_core_free(tlsdiag_state);
    tlsdiag_state = NULL;
}

static int
expert_group(tlsdiag_group g)
{
    switch (g) {
    case TLSDIAG_GROUP_SECURITY:  return PI_SECURITY;
    case TLSDIAG_GROUP_SEQUENCE:  return PI_SEQUENCE;
    case TLSDIAG_GROUP_MALFORMED: return PI_MALFORMED;
    default:                      return PI_PROTOCOL;
    }
}

static int
expert_severity(tlsdiag_severity s)
{
    switch (s) {
    case TLSDIAG_SEV_CHAT: return PI_CHAT;
    case TLSDIAG_SEV_NOTE: return PI_NOTE;
    case TLSDIAG_SEV_WARN: return PI_WARN;
    default:               return PI_ERROR;
    }
}

void
proto_register_tlsdiag(void)
{
    static hf_register_info hf[] = {
        { &hf_tlsdiag_cause,
          { "Cause", "tlsdiag.cause", FT_STRING, BASE_NONE, NULL, 0x0,
            "Why the TLS handshake failed, as a token (inappropriate_fallback, missing_sni, ...); one item per cause, most specific first", HFILL } },
        { &hf_tlsdiag_summary,
          { "Summary", "tlsdiag.summary", FT_STRING, BASE_NONE, NULL, 0x0,
            "One sentence naming the evidence: versions, suites, names and frame numbers", HFILL } },
        { &hf_tlsdiag_outcome,
          { "Outcome", "tlsdiag.outcome", FT_STRING, BASE_NONE, NULL, 0x0,
            "How the handshake ended: established, failed or incomplete (the capture holds only part of it: it began or ended mid-way, missed a side, or cut frames short)", HFILL } },
        { &hf_tlsdiag_handshake_frame,
          { "Handshake (ClientHello) frame", "tlsdiag.handshake_frame", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "The frame holding the ClientHello of the handshake this frame belongs to", HFILL } },
        { &hf_tlsdiag_evidence,
          { "Evidence", "tlsdiag.evidence", FT_STRING, BASE_NONE, NULL, 0x0,
            "What in this capture supports the cause", HFILL } },
        { &hf_tlsdiag_explanation,
          { "Explanation", "tlsdiag.explanation", FT_STRING, BASE_NONE, NULL, 0x0,
            "What the cause means, in plain words", HFILL } },
        { &hf_tlsdiag_remedy,
          { "Remedy", "tlsdiag.remedy", FT_STRING, BASE_NONE, NULL, 0x0,
            "What to do about the cause", HFILL } },
        { &hf_tlsdiag_client,
          { "Client", "tlsdiag.client", FT_STRING, BASE_NONE, NULL, 0x0,
            "The client identity attempts are linked by: its address, or the original client's address from a "
            "PROXY protocol header (then also the address on the wire)", HFILL } },
        { &hf_tlsdiag_attempt_number,
          { "Attempt", "tlsdiag.attempt.number", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Which attempt of this client to this service (address, port, SNI) this handshake is: 1 for the first, "
            "2 for a retry within the retry window after attempt 1 failed, and so on", HFILL } },
        { &hf_tlsdiag_attempt_prev,
          { "Previous attempt", "tlsdiag.attempt.prev", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_RETRANS_PREV), 0x0,
            "The ClientHello of the same client's failed attempt this handshake retries", HFILL } },
        { &hf_tlsdiag_attempt_next,
          { "Next attempt", "tlsdiag.attempt.next", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_RETRANS_NEXT), 0x0,
            "The ClientHello of the same client's retry after this attempt failed (known once the whole "
            "capture is read: tshark -2, the GUI)", HFILL } },
        { &hf_tlsdiag_attempt_delta,
          { "Time since previous attempt", "tlsdiag.attempt.delta", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
            "Time from the previous attempt's ClientHello to this one", HFILL } },
        { &hf_tlsdiag_attempt_summary,
          { "Attempt story", "tlsdiag.attempt.summary", FT_STRING, BASE_NONE, NULL, 0x0,
            "The chain of attempts in words: how the previous attempt failed and whether the client recovered, "
            "with the time it waited", HFILL } },
        { &hf_tlsdiag_recovered,
          { "Client recovered", "tlsdiag.recovered", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "Whether a later attempt of the same client to the same service succeeded (on failed handshakes, "
            "once the whole capture is read)", HFILL } },
        { &hf_tlsdiag_history,
          { "Handshake story", "tlsdiag.history", FT_STRING, BASE_NONE, NULL, 0x0,
            "Every handshake message, ChangeCipherSpec, encrypted record, alert and FIN/RST of the handshake, in "
            "order, with the frame and who sent it (on the frame that settled it)", HFILL } },
        { &hf_tlsdiag_cert_subject,
          { "Server certificate subject", "tlsdiag.cert.subject", FT_STRING, BASE_NONE, NULL, 0x0,
            "The subject of the server's (leaf) certificate, on the frame of its Certificate message "
            "(CN, O, OU, C, ST, L, emailAddress)", HFILL } },
        { &hf_tlsdiag_cert_issuer,
          { "Server certificate issuer", "tlsdiag.cert.issuer", FT_STRING, BASE_NONE, NULL, 0x0,
            "The issuer of the server's (leaf) certificate", HFILL } },
        { &hf_tlsdiag_cert_not_after,
          { "Server certificate valid until", "tlsdiag.cert.not_after", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0x0,
            "The notAfter date of the server's (leaf) certificate", HFILL } },
        { &hf_tlsdiag_recovered_in,
          { "Recovered in", "tlsdiag.recovered_in", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "The ClientHello of the later attempt that succeeded", HFILL } },
        { &hf_tlsdiag_sender,
          { "Ended by", "tlsdiag.sender", FT_STRING, BASE_NONE, NULL, 0x0,
            "Who most likely sent the RST, FIN or alert that ended a failed handshake: server, client, or "
            "path (likely): a firewall, IPS or proxy in one side's name, told by its TTL (hop limit), IP ID, "
            "TCP timestamps and timing against that side's own packets", HFILL } },
        { &hf_tlsdiag_sender_reasons,
          { "Why", "tlsdiag.sender.reasons", FT_STRING, BASE_NONE, NULL, 0x0,
            "What in the packet's network layer says who sent it", HFILL } },
    };
    static gint *ett[] = { &ett_tlsdiag, &ett_tlsdiag_cause, &ett_tlsdiag_sender, &ett_tlsdiag_text };
    /* Four expert infos per catalogue row, built from the catalogue and
     * sharing its name: the catalogue's severity, recovered, not recovered,
     * and on a handshake that went on despite it or is not over. */
    static ei_register_info ei[4 * TLSDIAG_CAUSE_COUNT];
    static const ei_register_info ei_template = { NULL, { NULL, PI_PROTOCOL, PI_ERROR, NULL, EXPFILL } };

    for (int i = 0; i < TLSDIAG_CAUSE_COUNT; i++) {
        const tlsdiag_cause_info *info = tlsdiag_cause_get((tlsdiag_cause)i);
        expert_field *ids[4] = { &ei_tlsdiag_cause[i], &ei_tlsdiag_cause_recovered[i],
                                 &ei_tlsdiag_cause_not_recovered[i], &ei_tlsdiag_cause_went_on[i] };
        const int severity[4] = { expert_severity(info->severity), PI_NOTE, PI_ERROR, PI_WARN };
        char *name = g_strdup_printf("tlsdiag.expert.%s", info->token);
        for (int k = 0; k < 4; k++) {
            ei_register_info *e = &ei[4 * i + k];
            *e = ei_template;
            e->ids = ids[k];
            e->eiinfo.name = name;
            e->eiinfo.group = expert_group(info->group);
            e->eiinfo.severity = severity[k];
            e->eiinfo.summary = info->title;
        }
    }

    proto_tlsdiag = proto_register_protocol("TLS Diagnostics", "TLSDIAG", "tlsdiag");
    proto_register_field_array(proto_tlsdiag, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_register_field_array(expert_register_protocol(proto_tlsdiag), ei, array_length(ei));

    tlsdiag_options_default(&tlsdiag_prefs);
    pref_client_from_proxy = tlsdiag_prefs.client_from_proxy;
    module_t *prefs = prefs_register_protocol(proto_tlsdiag, NULL);
    prefs_register_bool_preference(prefs, "client_from_proxy", "Identify clients by their PROXY header",
        "When a connection begins with a PROXY protocol header (load balancers), link its attempts by the "
        "original client address in the header rather than the address on the wire",
        &pref_client_from_proxy);
    prefs_register_uint_preference(prefs, "retry_window", "Retry window (seconds)",
        "A ClientHello from the same client to the same service at most this long after an attempt failed "
        "is a retry of it", 10, &tlsdiag_prefs.retry_window_s);
    prefs_register_uint_preference(prefs, "retry_storm_attempts", "Retry storm limit (attempts)",
        "More failed attempts than this in one chain, with no success, is a retry storm", 10,
        &tlsdiag_prefs.retry_storm_attempts);

    tlsdiag_tap = register_tap(TLSDIAG_TAP);
    register_init_routine(tlsdiag_init);
    register_cleanup_routine(tlsdiag_cleanup);
}

void
proto_reg_handoff_tlsdiag(void)
{
    tlsdiag_handle = create_dissector_handle(dissect_tlsdiag, proto_tlsdiag);
    register_postdissector(tlsdiag_handle);
}
