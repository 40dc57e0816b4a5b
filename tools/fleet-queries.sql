-- Queries over tlsdiag.handshakes (tools/tlsdiag-fleet.sh loads it), for
-- ClickHouse 18.16 and later. Each section is one query:
--   tools/tlsdiag-fleet.sh --query NAME [--where "CONDITION"]
-- runs it, restricted by --where to the rows that match, e.g.
--   --where "time >= '2025-06-03 00:00:00'"   --where "capture LIKE '/data/lb1/%'"
-- A failure counts once per cause in the by-cause numbers (a failure can
-- have several causes), once elsewhere.

-- query: tree
-- The numbers of the statistics tree (tshark -z tlsdiag,tree, Statistics →
-- TLS Diagnostics) over all loaded captures, labelled and indented as there.
-- As there, a handshake the capture's end cut off counts in TLS handshakes
-- only; a failure without a ClientHello (a plaintext client) or on an
-- established connection (attempt 0) is neither recovered nor not: it counts
-- as not in an attempt chain.
SELECT item, n FROM (
    SELECT 1 AS k, 'TLS handshakes' AS item, count() AS n FROM tlsdiag.handshakes
    UNION ALL SELECT 2, ' Failed', countIf(outcome = 'failed') FROM tlsdiag.handshakes
    UNION ALL SELECT 3, '  Client recovered later', countIf(outcome = 'failed' AND attempt > 0 AND recovered = 1) FROM tlsdiag.handshakes
    UNION ALL SELECT 4, '  Client did not recover', countIf(outcome = 'failed' AND attempt > 0 AND recovered = 0) FROM tlsdiag.handshakes
    UNION ALL SELECT 5, '  Not in an attempt chain (no ClientHello, or a renegotiation)', countIf(outcome = 'failed' AND attempt = 0) FROM tlsdiag.handshakes
    UNION ALL SELECT 6, ' Established', countIf(outcome = 'established') FROM tlsdiag.handshakes
    UNION ALL SELECT 7, ' Incomplete (the capture holds only part of it)', countIf(outcome = 'incomplete') FROM tlsdiag.handshakes
    UNION ALL SELECT 8, ' Abandoned (the client closed before the server could answer)', countIf(outcome = 'abandoned') FROM tlsdiag.handshakes
    UNION ALL SELECT 9, 'Fallback attempts (TLS_FALLBACK_SCSV)', toUInt64(sum(fallback_scsv)) FROM tlsdiag.handshakes
    UNION ALL SELECT 10, 'Failures by cause', countIf(outcome = 'failed') FROM tlsdiag.handshakes
    UNION ALL SELECT 11, concat(' ', cause), count() FROM tlsdiag.handshakes ARRAY JOIN causes AS cause
              WHERE outcome = 'failed' GROUP BY cause
    UNION ALL SELECT 12, 'Failures by server', countIf(outcome = 'failed') FROM tlsdiag.handshakes
    -- "address:port (SNI name)", IPv6 in brackets, as the tree names a service
    UNION ALL SELECT 13, concat(' ', if(server = '', '(not known: no ClientHello)',
                                concat(if(position(server, ':') > 0, concat('[', server, ']'), server), ':',
                                       toString(server_port), if(sni = '', '', concat(' (SNI ', sni, ')'))))), count()
              FROM tlsdiag.handshakes WHERE outcome = 'failed' GROUP BY server, server_port, sni
    UNION ALL SELECT 14, 'Failures by client', countIf(outcome = 'failed') FROM tlsdiag.handshakes
    UNION ALL SELECT 15, concat(' ', if(client = '', '(not known: no ClientHello)', client)), count() FROM tlsdiag.handshakes WHERE outcome = 'failed' GROUP BY client
    UNION ALL SELECT 16, 'Failures by who ended them', countIf(outcome = 'failed') FROM tlsdiag.handshakes
    UNION ALL SELECT 17, concat(' ', if(sender = '', 'not known', sender)), count() FROM tlsdiag.handshakes
              WHERE outcome = 'failed' GROUP BY sender
) ORDER BY k, n DESC, item;

-- query: by-cause
-- Failures by cause: how many, how many the client recovered from, on how
-- many servers, from how many clients.
SELECT cause, count() AS failures, sum(recovered) AS recovered, uniqExact(server, server_port) AS servers,
       uniqExact(client) AS clients
FROM tlsdiag.handshakes ARRAY JOIN causes AS cause
WHERE outcome = 'failed'
GROUP BY cause ORDER BY failures DESC, cause;

-- query: by-server
-- Failures by server and SNI, with their causes (the first, most specific, one).
SELECT server, server_port, transport, sni, count() AS failures, sum(recovered) AS recovered,
       groupUniqArray(causes[1]) AS first_causes
FROM tlsdiag.handshakes
WHERE outcome = 'failed'
GROUP BY server, server_port, transport, sni ORDER BY failures DESC, server, server_port, sni;

-- query: by-client
-- Failures by client address (the PROXY header's client where there is
-- one, however it reached the capture).
SELECT client_addr, count() AS failures, sum(recovered) AS recovered, uniqExact(server, server_port, sni) AS services,
       groupUniqArray(causes[1]) AS first_causes
FROM tlsdiag.handshakes
WHERE outcome = 'failed'
GROUP BY client_addr ORDER BY failures DESC, client_addr;

-- query: not-recovered
-- Failures no later attempt of the same client recovered: the ones that
-- cost a user something. Newest first.
SELECT time, capture, frame, client, server, server_port, sni, attempt, causes, sender, summary
FROM tlsdiag.handshakes
WHERE outcome = 'failed' AND recovered = 0
ORDER BY time DESC, capture, frame;

-- query: per-hour
-- Per hour (UTC): handshakes, failures, not recovered, and the most
-- frequent first cause of the hour's failures.
SELECT toStartOfHour(time) AS hour, count() AS handshakes, countIf(outcome = 'failed') AS failed,
       countIf(outcome = 'failed' AND recovered = 0) AS not_recovered,
       round(countIf(outcome = 'failed') / count(), 4) AS failed_share,
       topKIf(1)(causes[1], outcome = 'failed') AS top_cause
FROM tlsdiag.handshakes
GROUP BY hour ORDER BY hour;

-- query: per-hour-cause
-- Per hour (UTC) and cause: the trend of each cause.
SELECT toStartOfHour(time) AS hour, cause, count() AS failures, sum(recovered) AS recovered
FROM tlsdiag.handshakes ARRAY JOIN causes AS cause
WHERE outcome = 'failed'
GROUP BY hour, cause ORDER BY hour, failures DESC, cause;

-- query: captures
-- What is loaded: per capture file, its handshakes and failures.
SELECT capture, count() AS handshakes, countIf(outcome = 'failed') AS failed, min(time) AS first, max(time) AS last
FROM tlsdiag.handshakes
GROUP BY capture ORDER BY capture;
