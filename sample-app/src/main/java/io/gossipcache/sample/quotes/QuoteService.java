package io.gossipcache.sample.quotes;

import io.gossipcache.spring.GossipCacheNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * A deliberately slow quote source ({@code sample.quotes.delay}, 400 ms by default) behind Spring's cache
 * annotations: the first {@link #quote} of a symbol anywhere in the cluster computes it, every member then
 * serves it from its replicated cache. The {@code quotes} cache's TTL is set in {@code application.yml}.
 */
@Service
public class QuoteService {

    private final GossipCacheNode node;
    private final Duration delay;

    public QuoteService(GossipCacheNode node, @Value("${sample.quotes.delay:400ms}") Duration delay) {
        this.node = node;
        this.delay = delay;
    }

    /** The cached quote, or a freshly computed one (once per node however many ask at the same time). */
    @Cacheable(cacheNames = "quotes", key = "#symbol", sync = true)
    public Quote quote(String symbol) {
        return compute(symbol);
    }

    /** Computes the quote again and replaces it on every member. */
    @CachePut(cacheNames = "quotes", key = "#symbol")
    public Quote refresh(String symbol) {
        return compute(symbol);
    }

    /** Removes the quote from every member. */
    @CacheEvict(cacheNames = "quotes", key = "#symbol")
    public void evict(String symbol) {
        // the annotation does the work
    }

    private Quote compute(String symbol) {
        try {
            Thread.sleep(delay.toMillis()); // the "expensive" part
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while computing " + symbol, e);
        }
        double base = 20 + Math.floorMod(symbol.hashCode(), 480);
        double jitter = ThreadLocalRandom.current().nextDouble(-0.02, 0.02);
        BigDecimal price = BigDecimal.valueOf(base * (1 + jitter)).setScale(2, RoundingMode.HALF_UP);
        return new Quote(symbol, price, node.nodeName(), Instant.now());
    }
}
