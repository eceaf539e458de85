package io.gossipcache.sample.web;

import io.gossipcache.core.CachedValue;
import io.gossipcache.core.KeyPage;
import io.gossipcache.core.store.CacheSettings;
import io.gossipcache.spring.GossipCache;
import io.gossipcache.spring.GossipCacheManager;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.cache.support.NullValue;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST cache API (docs/configuration.md, 'Public contract'): {@code PUT/GET/DELETE /cache/{cache}/{key}},
 * {@code GET /cache/{cache}} (the keys, a page at a time) and {@code DELETE /cache/{cache}}.
 * Values are text (UTF-8, at most {@value #MAX_VALUE_BYTES} bytes), or JSON when the {@code PUT} says
 * {@code Content-Type: application/json} (validated; answered as JSON). Writes go to every member; with the header
 * {@code X-Local-Only: true} they change this node only. Reads are always local.
 */
@RestController
@RequestMapping("/cache")
public class CacheController {

    /** The largest value accepted, in bytes: 64 KiB. */
    public static final int MAX_VALUE_BYTES = 64 * 1024;

    static final String LOCAL_ONLY = "X-Local-Only";

    private static final int MAX_KEY_LENGTH = 512;
    /** Keys per page of {@code GET /cache/{cache}} unless {@code ?limit=} says otherwise, and the most it may say. */
    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;
    private static final Pattern CACHE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final GossipCacheManager cacheManager;
    private final JsonValues json;

    public CacheController(GossipCacheManager cacheManager, JsonMapper mapper) {
        this.cacheManager = cacheManager;
        this.json = new JsonValues(mapper);
    }

    @PutMapping("/{cache}/{key}")
    public Map<String, Object> put(@PathVariable String cache, @PathVariable String key,
                                   @RequestParam(required = false) @Nullable String ttl,
                                   @RequestHeader(name = LOCAL_ONLY, required = false) @Nullable String localOnly,
                                   HttpServletRequest request) throws IOException {
        boolean local = localOnly(localOnly);
        checkKey(key);
        Duration lifetime = ttl(ttl);
        String text = readValue(request);
        Object value = json.isJson(request.getContentType()) ? json.parse(text) : text;
        GossipCache target = cache(cache);
        if (local) {
            target.putLocal(key, value, lifetime);
        } else {
            target.put(key, value, lifetime);
        }
        CachedValue stored = target.getNativeCache().lookup(key);
        return entry(cache, key, json.render(stored != null ? stored.value() : value),
                stored != null ? stored.expiresAt() : 0);
    }

    /**
     * The live keys of a cache on this node whose text starts with {@code prefix}, {@code limit} at a time in text
     * order, with the total count; {@code next} is the cursor of the next page ({@code null} on the last).
     */
    @GetMapping("/{cache}")
    public Map<String, Object> keys(@PathVariable String cache, @RequestParam(required = false) @Nullable String prefix,
                                    @RequestParam(required = false) @Nullable String limit,
                                    @RequestParam(required = false) @Nullable String cursor) {
        KeyPage page = cache(cache).getNativeCache().keys(prefix, cursor, pageSize(limit));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cache", cache);
        body.put("keys", page.keys().stream().map(String::valueOf).toList());
        body.put("total", page.total());
        body.put("next", page.next());
        return body;
    }

    @GetMapping("/{cache}/{key}")
    public Map<String, Object> get(@PathVariable String cache, @PathVariable String key,
                                   @RequestHeader(name = LOCAL_ONLY, required = false) @Nullable String localOnly) {
        localOnly(localOnly); // validated; a read is always local
        checkKey(key);
        CachedValue found = cache(cache).getNativeCache().lookup(key);
        if (found == null) {
            throw ApiException.notFound("No entry '" + key + "' in cache '" + cache + "'");
        }
        return entry(cache, key, json.render(found.value()), found.expiresAt());
    }

    @DeleteMapping("/{cache}/{key}")
    public ResponseEntity<Void> evict(@PathVariable String cache, @PathVariable String key,
                                      @RequestHeader(name = LOCAL_ONLY, required = false) @Nullable String localOnly) {
        boolean local = localOnly(localOnly);
        checkKey(key);
        GossipCache target = cache(cache);
        if (local) {
            target.evictLocal(key);
        } else {
            target.evict(key);
        }
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/{cache}")
    public ResponseEntity<Void> clear(@PathVariable String cache,
                                      @RequestHeader(name = LOCAL_ONLY, required = false) @Nullable String localOnly) {
        boolean local = localOnly(localOnly);
        GossipCache target = cache(cache);
        if (local) {
            target.clearLocal();
        } else {
            target.clear();
        }
        return ResponseEntity.noContent().build();
    }

    /** {@code /cache/{cache}/} and {@code /cache//{key}}: an empty key or cache name, whatever the method. */
    @RequestMapping({ "/{cache}/", "//{key}", "/", "" })
    public void empty() {
        throw ApiException.badRequest("The cache name and the key must not be empty: use /cache/{cache}/{key}");
    }

    private GossipCache cache(String name) {
        if (!CACHE_NAME.matcher(name).matches()) {
            throw ApiException.badRequest("Invalid cache name '" + name + "': 1-64 of A-Z a-z 0-9 . _ -");
        }
        return cacheManager.requireCache(name); // UnknownCacheException (404) when dynamic caches are off
    }

    private static void checkKey(String key) {
        if (key.isBlank()) {
            throw ApiException.badRequest("The key must not be blank");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw ApiException.badRequest("The key is longer than " + MAX_KEY_LENGTH + " characters");
        }
    }

    static int pageSize(@Nullable String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_PAGE;
        }
        try {
            int n = Integer.parseInt(limit.trim());
            if (n >= 1 && n <= MAX_PAGE) {
                return n;
            }
        } catch (NumberFormatException ex) {
            // answered below
        }
        throw ApiException.badRequest("Invalid limit '" + limit + "': 1-" + MAX_PAGE + " keys per page");
    }

    static boolean localOnly(@Nullable String header) {
        if (header == null || header.isBlank() || header.trim().equalsIgnoreCase("false")) {
            return false;
        }
        if (header.trim().equalsIgnoreCase("true")) {
            return true;
        }
        throw ApiException.badRequest("Header " + LOCAL_ONLY + " must be true or false, not '" + header + "'");
    }

    /** {@code null} (the cache's default) when absent; else a Duration ({@code 30s}, {@code PT1M}) or seconds. */
    static @Nullable Duration ttl(@Nullable String ttl) {
        if (ttl == null) {
            return null;
        }
        Duration parsed;
        try {
            parsed = DurationStyle.detectAndParse(ttl.trim().toLowerCase(Locale.ROOT).startsWith("p")
                    ? ttl.trim().toUpperCase(Locale.ROOT) : ttl.trim(), ChronoUnit.SECONDS);
        } catch (RuntimeException ex) {
            throw ApiException.badRequest("Invalid ttl '" + ttl + "': use a duration like 30s, 5m, PT1H, or seconds");
        }
        if (parsed.isNegative()) {
            throw ApiException.badRequest("Invalid ttl '" + ttl + "': must not be negative");
        }
        if (parsed.compareTo(CacheSettings.MAX_TTL) > 0) {
            throw ApiException.badRequest("Invalid ttl '" + ttl + "': at most " + CacheSettings.MAX_TTL.toDays()
                    + " days");
        }
        return parsed;
    }

    private static String readValue(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_VALUE_BYTES) {
            throw tooLarge();
        }
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_VALUE_BYTES + 1);
            if (bytes.length > MAX_VALUE_BYTES) {
                throw tooLarge();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static ApiException tooLarge() {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE,
                "The value is larger than " + MAX_VALUE_BYTES + " bytes (64 KiB)");
    }

    static Map<String, Object> entry(String cache, String key, @Nullable Object value, long expiresAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cache", cache);
        body.put("key", key);
        body.put("value", value instanceof NullValue ? null : value);
        body.put("expiresAt", expiresAt > 0 ? Instant.ofEpochMilli(expiresAt).toString() : null);
        return body;
    }
}
