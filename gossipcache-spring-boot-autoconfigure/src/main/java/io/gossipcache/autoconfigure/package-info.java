/**
 * Spring Boot auto-configuration for gossipcache: the engine, its lifecycle, the {@code CacheManager}, the
 * {@code gossipcache.*} properties, and (when on the classpath) the Actuator endpoint, health and meters.
 */
@NullMarked
package io.gossipcache.autoconfigure;

import org.jspecify.annotations.NullMarked;
