package io.gossipcache.sample.tracing;

import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.exporter.SpanReporter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The last spans this node finished, kept in memory so that the sample shows its traces without a tracing server
 * (Micrometer Tracing hands every finished span to a {@link SpanReporter} bean). Shown at {@code GET /cluster/spans}:
 * the HTTP request, the gossipcache {@code get}/{@code put} it made, and the replication batches sent and applied.
 *
 * <p>Concurrency: spans arrive from the tracer's export thread and are read by request threads; both hold the lock.
 */
@Component
public class RecentSpans implements SpanReporter {

    /** How many spans are kept; the oldest go first. */
    static final int KEPT = 200;

    private final Deque<Map<String, Object>> spans = new ArrayDeque<>(); // @GuardedBy("this")

    @Override
    public void report(FinishedSpan span) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("name", span.getName());
        shown.put("traceId", span.getTraceId());
        shown.put("spanId", span.getSpanId());
        shown.put("parentId", span.getParentId());
        shown.put("start", span.getStartTimestamp().toString());
        shown.put("micros", Duration.between(span.getStartTimestamp(), span.getEndTimestamp()).toNanos() / 1_000);
        shown.put("tags", new LinkedHashMap<>(span.getTags()));
        synchronized (this) {
            spans.addFirst(shown);
            while (spans.size() > KEPT) {
                spans.removeLast();
            }
        }
    }

    /** The kept spans, newest first. */
    public synchronized List<Map<String, Object>> newestFirst() {
        return new ArrayList<>(spans);
    }

    @Override
    public void close() {
        // nothing to flush: the spans live only here
    }
}
