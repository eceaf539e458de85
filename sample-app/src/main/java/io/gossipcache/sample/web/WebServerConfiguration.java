package io.gossipcache.sample.web;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Tomcat settings of the REST API: keys may contain an encoded slash, and Tomcat's own errors are JSON. */
@Configuration(proxyBeanMethods = false)
public class WebServerConfiguration {

    /** {@code %2F} in a key ({@code /cache/c/a%2Fb}) reaches the controller as {@code a/b} instead of a 400. */
    @Bean
    TomcatConnectorCustomizer encodedSlashInKeys() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }

    /** Requests Tomcat rejects before Spring MVC sees them get a JSON error body, not Tomcat's HTML page. */
    @Bean
    TomcatContextCustomizer jsonErrorReports() {
        return context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            }
        };
    }
}
