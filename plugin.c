/* plugin.c — hand-written plugin registration for tlsdiag.
 *
 * Kept source-compatible with Wireshark 4.0 to 4.6: plugin_describe() exists
 * only from 4.4 on (wsutil/plugins.h is installed from then).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define WS_BUILD_DLL
#include <wireshark.h>
#include <epan/proto.h>
#include <epan/tap.h>
#include <ws_version.h>

#include "tlsdiag-compat.h"

#if TLSDIAG_WS_AT_LEAST(4, 4)
#include <wsutil/plugins.h>
#define TLSDIAG_HAVE_DESCRIBE 1
#endif

#include "packet-tlsdiag.h"

#ifndef TLSDIAG_VERSION
#error "TLSDIAG_VERSION must be defined by the build"
#endif

WS_DLL_PUBLIC_DEF const char plugin_version[] = TLSDIAG_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

void
plugin_register(void)
{
    static proto_plugin plug;

    static tap_plugin tap;

    plug.register_protoinfo = proto_register_tlsdiag;
    plug.register_handoff = proto_reg_handoff_tlsdiag;
    proto_register_plugin(&plug);
    tap.register_tap_listener = register_tlsdiag_stats_tree;
    tap_register_plugin(&tap);
}

#ifdef TLSDIAG_HAVE_DESCRIBE
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t
plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR | WS_PLUGIN_DESC_TAP_LISTENER;
}
#endif
