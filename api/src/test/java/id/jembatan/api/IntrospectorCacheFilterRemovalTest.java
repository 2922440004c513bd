package id.jembatan.api;

import jakarta.servlet.Filter;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockServletContext;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;
import org.springframework.web.servlet.handler.HandlerMappingIntrospector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Security with Spring MVC, as the bus runs them, with and without {@link IntrospectorCacheFilterRemoval}: what
 * a request carries when it leaves the security filter chain. Fails when a Spring Security release wraps its chain
 * differently (the removal then no longer finds the cache filter).
 */
class IntrospectorCacheFilterRemovalTest {

    @Configuration(proxyBeanMethods = false)
    @EnableWebMvc
    @EnableWebSecurity
    static class WebSecurity {
        @Bean
        SecurityFilterChain chain(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(auth -> auth.anyRequest().permitAll()).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Import({WebSecurity.class, IntrospectorCacheFilterRemoval.class})
    static class WebSecurityWithoutCache {
    }

    /** Spring Security's default. Result: the handler lookup is cached on the request (the control of the test). */
    @Test
    void springSecurityCachesTheHandlerLookupByDefault() throws Exception {
        assertThat(attributesInsideTheChain(WebSecurity.class)).anyMatch(IntrospectorCacheFilterRemovalTest::cached);
    }

    /** With the removal. Result: the request passes the same chain without the handler having been looked up. */
    @Test
    void withTheRemovalNoHandlerIsLookedUpBeforeTheChain() throws Exception {
        List<String> attributes = attributesInsideTheChain(WebSecurityWithoutCache.class);
        assertThat(attributes).isNotEmpty().noneMatch(IntrospectorCacheFilterRemovalTest::cached);
    }

    private static boolean cached(String attribute) {
        return attribute.startsWith(HandlerMappingIntrospector.class.getName());
    }

    /** The names of the request attributes when the security chain hands the request on. */
    private static List<String> attributesInsideTheChain(Class<?> configuration) throws Exception {
        try (AnnotationConfigWebApplicationContext context = new AnnotationConfigWebApplicationContext()) {
            context.setServletContext(new MockServletContext());
            context.register(configuration);
            context.refresh();
            Filter chain = context.getBean(IntrospectorCacheFilterRemoval.FILTER_CHAIN, Filter.class);
            List<String> attributes = new ArrayList<>();
            chain.doFilter(new MockHttpServletRequest("GET", "/api/v1/citizens/3171014508990001"),
                    new MockHttpServletResponse(),
                    (request, response) -> attributes.addAll(Collections.list(request.getAttributeNames())));
            return attributes;
        }
    }
}
