package io.gossipcache.foreign;

import java.io.Serializable;

/** A value class of a package outside the test application's own (a library's, say). */
public record Coupon(String code, int percent) implements Serializable {
}
