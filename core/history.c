/* core/history.c — the story of one handshake (tlsdiag.history): every
 * handshake message, ChangeCipherSpec, encrypted record, alert and FIN/RST
 * from the ClientHello to the frame that settled it, with who sent it, so a
 * class can read the failure aloud.
 *
 * Events are collected per connection while its handshake is open, and
 * kept on the handshake once settled (bounded: a handshake that drags on
 * keeps its first TLSDIAG_HISTORY_MAX steps), packed: every handshake of a
 * capture keeps its story, most steps need 2 or 3 bytes instead of 8.
 *
 * Also the line breaking that shows such texts (story, evidence, remedy) in
 * the details pane, where Wireshark cuts an item's text at 240 characters.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/conn.h"
#include "core/tls.h"

#include <string.h>

#define TLSDIAG_HISTORY_MAX 48
#define ALERT_UNREADABLE 0xffff   /* TLSDIAG_EV_ALERT details beyond level << 8 | description */
#define ALERT_SIZED      0xfffe
#define SSL2_MESSAGE     0x100    /* TLSDIAG_EV_HANDSHAKE detail: an SSLv2 message type */
/* A ServerHello that is a HelloRetryRequest is told as the type TLS 1.3's
 * drafts gave it (6). */
enum { TLS_SERVER_HELLO = 2, TLS_HELLO_RETRY_REQUEST = 6 };

/* A packed event: a byte with its kind (the low 4 bits), the side (0x10)
 * and whether its frame is the previous event's (0x20); then, unless it is,
 * the distance from the previous event's frame (from 0 for the first, or,
 * when kept on its handshake, from its ClientHello's frame: 0x40); then
 * its detail, for the kinds that have one. Numbers are base-128 varints. */
#define PACK_SERVER     0x10
#define PACK_SAME_FRAME 0x20
#define PACK_FROM_HELLO 0x40
#define PACK_MAX        (1 + 5 + 3)   /* bytes of one event at most */

static gboolean
has_detail(guint kind)
{
    return kind == TLSDIAG_EV_HANDSHAKE || kind == TLSDIAG_EV_ENCRYPTED || kind == TLSDIAG_EV_ALERT ||
           kind == TLSDIAG_EV_UNREACHABLE || kind == TLSDIAG_EV_CUT;
}

static guint8 *
put_varint(guint8 *p, guint32 v)
{
    for (; v >= 0x80; v >>= 7)
        *p++ = (guint8)(v | 0x80);
    *p++ = (guint8)v;
    return p;
}

static const guint8 *
get_varint(const guint8 *p, guint32 *v)
{
    guint32 x = 0;
    for (guint shift = 0; shift < 35; shift += 7) {
        x |= (guint32)(*p & 0x7f) << shift;
        if (!(*p++ & 0x80))
            break;
    }
    *v = x;
    return p;
}

/* Each step is packed as it comes, into the connection's buffer (most
 * stories fit in story_in; a longer one moves to the heap, at most
 * TLSDIAG_HISTORY_MAX steps of PACK_MAX bytes). */
static void
add(tlsdiag_conn *conn, const tlsdiag_packet *pkt, gboolean from_client, tlsdiag_event_kind kind, guint detail)
{
    guint8 step[PACK_MAX], *p = step;
    const gboolean same = conn->story_steps && pkt->frame == conn->story_frame;

    if (conn->story_steps >= TLSDIAG_HISTORY_MAX)
        return;
    *p++ = (guint8)((kind & 0x0f) | (from_client ? 0 : PACK_SERVER) | (same ? PACK_SAME_FRAME : 0));
    if (!same)
        p = put_varint(p, pkt->frame - (conn->story_steps ? conn->story_frame : 0));
    if (has_detail(kind))
        p = put_varint(p, (guint16)detail);
    const gsize n = (gsize)(p - step);
    if (!conn->story_heap && conn->story_len + n > sizeof conn->story_in) {
        conn->story_heap = g_malloc(TLSDIAG_HISTORY_MAX * PACK_MAX);
        memcpy(conn->story_heap, conn->story_in, conn->story_len);
    }
    memcpy((conn->story_heap ? conn->story_heap : conn->story_in) + conn->story_len, step, n);
    conn->story_len = (guint16)(conn->story_len + n);
    conn->story_steps++;
    conn->story_frame = pkt->frame;
}

void
tlsdiag_history_record(tlsdiag_conn *conn, gboolean from_client, const tlsdiag_packet *pkt)
{
    const guint32 f = pkt->flags;

    for (guint i = 0; i < pkt->n_hs_types && i < G_N_ELEMENTS(pkt->hs_types); i++) {
        guint type = pkt->hs_types[i];
        if (f & TLSDIAG_PKT_SSLV2)
            type |= SSL2_MESSAGE;
        else if (type == TLS_SERVER_HELLO && (f & TLSDIAG_PKT_HELLO_RETRY))
            type = TLS_HELLO_RETRY_REQUEST;
        add(conn, pkt, from_client, TLSDIAG_EV_HANDSHAKE, type);
    }
    if (f & TLSDIAG_PKT_CCS)
        add(conn, pkt, from_client, TLSDIAG_EV_CCS, 0);
    if (f & TLSDIAG_PKT_ENC_HANDSHAKE)
        add(conn, pkt, from_client, TLSDIAG_EV_ENC_HANDSHAKE, 0);
    if (f & TLSDIAG_PKT_ALERT_SHAPED)
        add(conn, pkt, from_client, TLSDIAG_EV_ALERT, ALERT_SIZED);
    else if (pkt->n_app_data && !(f & TLSDIAG_PKT_ALERT))
        add(conn, pkt, from_client, TLSDIAG_EV_ENCRYPTED, MIN(pkt->n_app_data, G_MAXUINT16));
    if (f & TLSDIAG_PKT_ALERT)
        add(conn, pkt, from_client, TLSDIAG_EV_ALERT,
            pkt->alert_desc < 0 ? ALERT_UNREADABLE : (guint)pkt->alert_level << 8 | (guint)(pkt->alert_desc & 0xff));
    if (f & TLSDIAG_PKT_NOT_TLS)
        add(conn, pkt, from_client, TLSDIAG_EV_NOT_TLS, 0);
    if (f & TLSDIAG_PKT_UNREACHABLE)
        add(conn, pkt, from_client, TLSDIAG_EV_UNREACHABLE, (guint)pkt->icmp_family << 8 | pkt->icmp_code);
    if (f & TLSDIAG_PKT_CUT)
        add(conn, pkt, from_client, TLSDIAG_EV_CUT, MIN(pkt->cut_len, G_MAXUINT16));
    if (f & TLSDIAG_PKT_RST)
        add(conn, pkt, from_client, TLSDIAG_EV_RST, 0);
    else if (f & TLSDIAG_PKT_FIN)
        add(conn, pkt, from_client, TLSDIAG_EV_FIN, 0);
}

/* The story of hs as kept on it: its first frame told from the ClientHello's
 * (most often the same frame: one byte where a frame number takes up to five). */
static gsize
pack_for(const tlsdiag_conn *conn, const tlsdiag_handshake *hs, guint8 *out)
{
    const guint8 *packed = conn->story_heap ? conn->story_heap : conn->story_in;
    const guint8 *rest;
    guint32 first;
    guint8 *p = out;

    rest = get_varint(packed + 1, &first);
    if (!hs->client_hello_frame || first < hs->client_hello_frame) {
        memcpy(out, packed, conn->story_len);
        return conn->story_len;
    }
    *p++ = packed[0] | PACK_FROM_HELLO;
    p = put_varint(p, first - hs->client_hello_frame);
    memcpy(p, rest, conn->story_len - (gsize)(rest - packed));
    return (gsize)(p - out) + conn->story_len - (gsize)(rest - packed);
}

void
tlsdiag_history_keep(tlsdiag_conn *conn, tlsdiag_handshake *hs, gboolean final, GStringChunk *stories)
{
    if (conn->story_steps) {
        guint8 packed[TLSDIAG_HISTORY_MAX * PACK_MAX];
        const gsize len = pack_for(conn, hs, packed);
        if (!(hs->flags & TLSDIAG_HS_STORY_FINAL))
            g_free(hs->story);
        hs->n_events = conn->story_steps;
        /* Without a malloc header each: every handshake of a capture keeps one. */
        if (final) {
            hs->story = (guint8 *)g_string_chunk_insert_len(stories, (const gchar *)packed, (gssize)len);
            hs->flags |= TLSDIAG_HS_STORY_FINAL;
        } else {
            hs->story = g_memdup2(packed, len);
            hs->flags &= (guint16)~TLSDIAG_HS_STORY_FINAL;
        }
    }
}

void
tlsdiag_history_reset(tlsdiag_conn *conn)
{
    g_free(conn->story_heap);
    conn->story_heap = NULL;
    conn->story_len = 0;
    conn->story_steps = 0;
    conn->story_frame = 0;
}

static void
event_words(const tlsdiag_event *ev, GString *s)
{
    const char *name;

    switch (ev->kind) {
    case TLSDIAG_EV_HANDSHAKE:
        name = (ev->detail & SSL2_MESSAGE) ? tlsdiag_ssl2_message_name(ev->detail & 0xff)
                                           : tlsdiag_handshake_type_name(ev->detail);
        if (name)
            g_string_append(s, name);
        else
            g_string_append_printf(s, "handshake message %u", ev->detail);
        break;
    case TLSDIAG_EV_ENC_HANDSHAKE:
        g_string_append(s, "encrypted handshake message");
        break;
    case TLSDIAG_EV_CCS:
        g_string_append(s, "ChangeCipherSpec");
        break;
    case TLSDIAG_EV_ENCRYPTED:
        g_string_append_printf(s, "%u encrypted record%s", ev->detail, ev->detail == 1 ? "" : "s");
        break;
    case TLSDIAG_EV_ALERT:
        if (ev->detail == ALERT_UNREADABLE) {
            g_string_append(s, "encrypted alert");
        } else if (ev->detail == ALERT_SIZED) {
            g_string_append(s, "an encrypted record of an alert's size");
        } else {
            name = tlsdiag_alert_name(ev->detail & 0xff);
            g_string_append_printf(s, "%salert %s", (ev->detail >> 8) == 2 ? "fatal " : (ev->detail >> 8) == 1 ? "warning " : "",
                                   name ? name : "unknown");
        }
        break;
    case TLSDIAG_EV_NOT_TLS:
        g_string_append(s, "data that is not TLS");
        break;
    case TLSDIAG_EV_FIN:
        g_string_append(s, "FIN");
        break;
    case TLSDIAG_EV_RST:
        g_string_append(s, "RST");
        break;
    case TLSDIAG_EV_UNREACHABLE:
        g_string_append_printf(s, "ICMP%s %s", (ev->detail >> 8) == 6 ? "v6" : "",
                               tlsdiag_icmp_unreachable_name(ev->detail >> 8, ev->detail & 0xff));
        break;
    case TLSDIAG_EV_CUT:
        if (ev->detail == G_MAXUINT16)
            g_string_append(s, "65535 bytes or more cut off by the capture");
        else
            g_string_append_printf(s, "%u bytes cut off by the capture", ev->detail);
        break;
    default:
        break;
    }
}

gboolean
tlsdiag_history(const tlsdiag_handshake *hs, GString *s)
{
    const guint8 *p = hs->story;
    tlsdiag_event ev = { 0 }, prev = { 0 };

    if (!p || !hs->n_events)
        return FALSE;
    for (guint i = 0; i < hs->n_events; i++) {
        const guint8 head = *p++;
        guint32 v;
        ev.kind = head & 0x0f;
        ev.from_server = (head & PACK_SERVER) != 0;
        if (!(head & PACK_SAME_FRAME)) {
            p = get_varint(p, &v);
            ev.frame = ((head & PACK_FROM_HELLO) ? hs->client_hello_frame : prev.frame) + v;
        }
        ev.detail = 0;
        if (has_detail(ev.kind)) {
            p = get_varint(p, &v);
            ev.detail = (guint16)v;
        }
        if (i && ev.frame == prev.frame && ev.from_server == prev.from_server)
            g_string_append(s, ", ");
        else
            g_string_append_printf(s, "%sFrame %u %s: ", i ? ". " : "", ev.frame, ev.from_server ? "server" : "client");
        event_words(&ev, s);
        prev = ev;
    }
    g_string_append_c(s, '.');
    return TRUE;
}

static gboolean
line_break_after(const char *p)
{
    if (p[1] != ' ')
        return FALSE;
    if (*p == ';')
        return TRUE;
    /* Not after "e.g." or a version's dot: only before a new sentence. */
    return (*p == '.' || *p == '?' || *p == '!') && (g_ascii_isupper(p[2]) || p[2] == '(' || p[2] == '\'');
}

/* A line may break at a space, but not before a number: "frame 4", "TLS 1.2"
 * and "alert 70" stay on one line. */
static gboolean
line_break_at(const char *c)
{
    return *c == ' ' && !g_ascii_isdigit(c[1]);
}

void
tlsdiag_lines(const char *text, gsize width, void (*emit)(const char *line, gsize len, void *data), void *data)
{
    const char *p = text;

    while (*p) {
        const char *end = p;
        while (*end && !line_break_after(end))
            end++;
        if (*end)
            end++;
        /* A longer one in lines of even length, so none is a stray word. */
        const gsize n_lines = ((gsize)(end - p) + width - 1) / width;
        while ((gsize)(end - p) > width) {
            const gsize even = ((gsize)(end - p) + n_lines - 1) / n_lines;
            const char *cut = p + width;
            while (cut > p && !line_break_at(cut))
                cut--;
            for (const char *c = p + even; c < cut; c++)
                if (line_break_at(c)) {
                    cut = c;
                    break;
                }
            if (cut == p) {
                /* One word longer than a line: split it, not inside a UTF-8 character. */
                cut = p + width;
                while (cut > p + 1 && ((guchar)*cut & 0xc0) == 0x80)
                    cut--;
            }
            emit(p, (gsize)(cut - p), data);
            p = cut;
            while (*p == ' ')
                p++;
        }
        if (end > p)
            emit(p, (gsize)(end - p), data);
        p = end;
        while (*p == ' ')
            p++;
    }
}
