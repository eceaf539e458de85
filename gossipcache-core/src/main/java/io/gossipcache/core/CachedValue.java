package io.gossipcache.core;

/**
 * A live value as this member holds it.
 *
 * @param value     the value
 * @param expiresAt wall-clock millisecond (epoch) at which it expires on this member, or 0 if it never does
 */
public record CachedValue(Object value, long expiresAt) {
}
