package io.gossipcache.sample.quotes;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A computed stock quote. It is cached and travels between members, so it is {@link Serializable}; its package is
 * the application's own, which the starter lets travel without listing it in
 * {@code gossipcache.serialization.allowed-packages}.
 *
 * @param computedBy the name of the node that computed it (a cache hit elsewhere keeps this name)
 */
public record Quote(String symbol, BigDecimal price, String computedBy, Instant computedAt) implements Serializable {
}
