/* causes/judge.h — the judging layer's API: the judge the core is created
 * with, and the handshake and its attempt chain in words.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSDIAG_JUDGE_H
#define TLSDIAG_JUDGE_H

#include "core/facts.h"

/* The judge: tlsdiag_core_new(opt, tlsdiag_judge). */
tlsdiag_draft *tlsdiag_judge(const tlsdiag_report *report);

/* Human sentence for a handshake: the verdict's summary, or a description of
 * an established or unfinished handshake; written into buf. */
const char *tlsdiag_handshake_summary(const tlsdiag_handshake *hs, gboolean capture_done,
                                      char *buf, gsize len);

/* The attempt chain in words: which attempt this is, how the one before
 * failed, and (when capture_done, i.e. the whole capture has been fed) whether
 * and where the client got through, with the time it waited. NULL when the
 * handshake is not part of a chain of several attempts. */
const char *tlsdiag_attempt_story(const tlsdiag_handshake *hs, gboolean capture_done, char *buf, gsize len);

#endif /* TLSDIAG_JUDGE_H */
