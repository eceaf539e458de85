/**
 * Spring Boot auto-configuration for gossipcache. The CacheManager, properties, Actuator endpoint and
 * meters arrive with the starter issue; until then this module only carries the engine to applications.
 */
package io.gossipcache.autoconfigure;
