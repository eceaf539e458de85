package io.gossipcache.it;

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
}
