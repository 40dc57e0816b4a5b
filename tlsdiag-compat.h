/* tlsdiag-compat.h — the Wireshark API as tlsdiag uses it, across 4.0 to 4.6:
 * one place for every difference between the versions it builds against.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSDIAG_COMPAT_H
#define TLSDIAG_COMPAT_H

#include <wireshark.h>
#include <ws_version.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include <wsutil/pint.h>

/* Building against Wireshark major.minor or newer. */
#define TLSDIAG_WS_AT_LEAST(major, minor) \
    (WIRESHARK_VERSION_MAJOR > (major) || (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

/* 4.2 made field_info.value a pointer. */
#if TLSDIAG_WS_AT_LEAST(4, 2)
#define FI_VALUE(fi) ((fi)->value)
#else
#define FI_VALUE(fi) (&(fi)->value)
#endif

/* 4.4 moved the API to C99 types: tvb_get_guint8 is deprecated for
 * tvb_get_uint8, which 4.0 lacks; boolean preferences are bool. */
#if TLSDIAG_WS_AT_LEAST(4, 4)
typedef bool tlsdiag_pref_bool;
#else
#define tvb_get_uint8 tvb_get_guint8
typedef gboolean tlsdiag_pref_bool;
#endif

/* 4.6 names the big-endian readers pntohu16 ... (pntoh16 before), and
 * finds a data source by name, then its bytes. */
#if !TLSDIAG_WS_AT_LEAST(4, 6)
#define pntohu16 pntoh16
#define pntohu24 pntoh24
#define pntohu32 pntoh32
#endif

static inline tvbuff_t *
tlsdiag_source_by_name(packet_info *pinfo, const char *name)
{
#if TLSDIAG_WS_AT_LEAST(4, 6)
    const struct data_source *src = get_data_source_by_name(pinfo, name);
    return src ? get_data_source_tvb(src) : NULL;
#else
    return get_data_source_tvb_by_name(pinfo, name);
#endif
}

#endif /* TLSDIAG_COMPAT_H */
