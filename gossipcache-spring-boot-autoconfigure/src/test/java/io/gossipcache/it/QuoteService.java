package io.gossipcache.it;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;

/** A service as an application writes it; counts how often each method really computes on this node. */
public class QuoteService {

    final AtomicInteger computed = new AtomicInteger();
    final AtomicInteger slowComputed = new AtomicInteger();
    final AtomicInteger asyncComputed = new AtomicInteger();
    private final String node;

    // accessors, not fields: callers hold the caching proxy, whose own fields are empty
    public int computed() {
        return computed.get();
    }

    public int slowComputed() {
        return slowComputed.get();
    }

    public int asyncComputed() {
        return asyncComputed.get();
    }

    public QuoteService(@Value("${gossipcache.node-name}") String node) {
        this.node = node;
    }

    @Cacheable("quotes")
    public String quote(String symbol) {
        return symbol + "@" + node + "#" + computed.incrementAndGet();
    }

    @CachePut(cacheNames = "quotes", key = "#symbol")
    public String refresh(String symbol) {
        return symbol + "@" + node + "#" + computed.incrementAndGet();
    }

    @CacheEvict("quotes")
    public void forget(String symbol) {
    }

    @Cacheable("short")
    public String shortLived(String key) {
        return key + "@" + node + "#" + computed.incrementAndGet();
    }

    @Cacheable(cacheNames = "stampede", sync = true)
    public String slow(String key) throws InterruptedException {
        int n = slowComputed.incrementAndGet();
        Thread.sleep(300); // the expensive computation that sync=true protects; not a synchronization
        return key + "@" + node + "#" + n;
    }

    @Cacheable("async")
    public CompletableFuture<String> asyncQuote(String symbol) {
        int n = asyncComputed.incrementAndGet();
        return CompletableFuture.supplyAsync(() -> symbol + "@" + node + "#" + n);
    }

    @Cacheable("multi")
    public String pair(String a, Integer b) {
        return a + b + "@" + node + "#" + computed.incrementAndGet();
    }

    /** A line of an order. Records, as applications write values now: not Serializable. */
    public record Line(String sku, int quantity, BigDecimal price) {
    }

    /** What an order service's @Cacheable method returns. */
    public record Order(long id, String node, int computation, Instant placedAt, BigDecimal total, List<Line> lines) {
    }

    /** A record key: not Serializable either. */
    public record OrderKey(String shop, long id) {
    }

    @Cacheable("orders")
    public Order order(long id) {
        return new Order(id, node, computed.incrementAndGet(), Instant.parse("2026-12-07T16:43:05.123456789Z"),
                new BigDecimal("20.10"), List.of(new Line("pen", 2, new BigDecimal("1.05")),
                        new Line("ink", 1, new BigDecimal("18.00"))));
    }

    @Cacheable("orders")
    public Order orderOf(OrderKey key) {
        return order(key.id()); // a self-call: not through the proxy
    }

    /** An order that does not exist: the cache holds Spring's NullValue. */
    @Cacheable("orders")
    public Order absent(String reference) {
        computed.incrementAndGet();
        return null;
    }
}
