package io.gossipcache.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/**
 * The gossipcache sample application: a REST API over the replicated caches ({@code /cache/...}), a slow quotes
 * service behind {@code @Cacheable} ({@code /quotes/...}) and Actuator. Start several copies with different
 * {@code --server.port} values and they form one cluster on 127.0.0.1.
 */
@SpringBootApplication
@EnableCaching
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
