package io.gossipcache.sample.security;

import static org.springframework.security.config.Customizer.withDefaults;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * The {@code secured} profile: every Actuator endpoint except health and info behind HTTP Basic for the role
 * OPERATOR, so that only an operator can read the cluster's state or switch a node's mode
 * ({@code POST /actuator/gossipcache}); the cache API stays open. Without the profile (the demo) Spring Security's
 * auto-configuration is excluded (application.yml) and nothing is restricted.
 */
@Configuration(proxyBeanMethods = false)
@Profile("secured")
public class SecurityConfiguration {

    static final String OPERATOR = "OPERATOR";

    /** Actuator: health and info for probes and load balancers, everything else for operators only. */
    @Bean
    @Order(1)
    SecurityFilterChain actuatorChain(HttpSecurity http) throws Exception {
        return http.securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(EndpointRequest.to("health", "info")).permitAll()
                        .anyRequest().hasRole(OPERATOR))
                .httpBasic(withDefaults())
                .csrf(csrf -> csrf.disable()) // Basic credentials on every call, no cookie to forge a request with
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
    }

    /**
     * The application's own API, unchanged, except the cluster page's data ({@code /cluster}), which shows what the
     * {@code gossipcache} endpoint shows: operators only, as there.
     */
    @Bean
    @Order(2)
    SecurityFilterChain apiChain(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/cluster", "/cluster/**").hasRole(OPERATOR)
                        .anyRequest().permitAll())
                .httpBasic(withDefaults())
                .csrf(csrf -> csrf.disable())
                .build();
    }

    /** One operator account; the password comes from the environment, never from a file in the repository. */
    /**
     * Keys may contain '/', sent as %2F (the cache API's contract), which Tomcat passes through undecoded
     * (WebServerConfiguration); Spring Security refuses both the encoded slash and the '%' left in the path.
     */
    @Bean
    StrictHttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowUrlEncodedSlash(true);
        firewall.setAllowUrlEncodedPercent(true);
        return firewall;
    }

    @Bean
    UserDetailsService operators(@Value("${sample.security.operator.name:operator}") String name,
                                 @Value("${sample.security.operator.password}") String password) {
        if (password.isBlank()) {
            throw new IllegalStateException("sample.security.operator.password must not be empty");
        }
        return new InMemoryUserDetailsManager(User.withUsername(name)
                .password(PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(password))
                .roles(OPERATOR)
                .build());
    }
}
