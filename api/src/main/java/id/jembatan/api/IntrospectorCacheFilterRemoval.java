package id.jembatan.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConstructorArgumentValues;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.context.AbstractSecurityWebApplicationInitializer;

import java.util.List;

/**
 * Every request reaches Spring Security's filter chain without Spring MVC's handler being looked up for it first.
 *
 * <p>Whenever Spring MVC is present, Spring Security 6.5 wraps its filter chain ({@code springSecurityFilterChain})
 * in a composite whose first filter is {@code HandlerMappingIntrospector.createCacheFilter()}
 * ({@code WebMvcSecurityConfiguration}, a bean definition registry post-processor): it looks the request's handler
 * up in every handler mapping and keeps the result in a request attribute, so that {@code MvcRequestMatcher} and
 * Spring MVC's CORS configuration can read it. Nothing here reads it: the security rules match path patterns
 * ({@link SecurityConfiguration#requestMatchersAsPathPatterns()}) and the bus configures no CORS. The look-up was
 * the largest single cost of a lookup's request (11-13% of the request threads' samples, docs/performance.md), and
 * the {@code DispatcherServlet} looks the handler up again anyway. Spring Security 6.5 has no setting to leave it
 * out (7.0 drops it along with {@code MvcRequestMatcher}), so this replaces the composite's bean definition by the
 * filter chain it wraps, once every registry post-processor (Spring Security's among them) has run.
 *
 * <p>It relies on two names inside Spring Security; when they change the composite is left as it is (requests are
 * answered as before, only slower; a warning says so when the composite is found but not its parts), and
 * {@code IntrospectorCacheFilterRemovalTest} fails.
 */
@Configuration(proxyBeanMethods = false)
public class IntrospectorCacheFilterRemoval {

    private static final Logger log = LoggerFactory.getLogger(IntrospectorCacheFilterRemoval.class);

    static final String FILTER_CHAIN = AbstractSecurityWebApplicationInitializer.DEFAULT_FILTER_NAME;

    private static final String CONFIGURATION =
            "org.springframework.security.config.annotation.web.configuration.WebMvcSecurityConfiguration";

    /** The composite Spring Security registers under {@link #FILTER_CHAIN}: the cache filter, then the chain. */
    static final String COMPOSITE = CONFIGURATION + "$CompositeFilterChainProxy";

    /** The factory of the cache filter, the composite's first filter. */
    static final String CACHE_FILTER = CONFIGURATION + "$HandlerMappingIntrospectorCacheFilterFactoryBean";

    /** A bean factory post-processor: it runs after all registry post-processors, whatever their order. */
    @Bean
    static BeanFactoryPostProcessor securityFilterChainWithoutIntrospectorCache() {
        return beanFactory -> {
            if (beanFactory instanceof BeanDefinitionRegistry registry && registry.containsBeanDefinition(FILTER_CHAIN)) {
                unwrap(registry);
            }
        };
    }

    private static void unwrap(BeanDefinitionRegistry registry) {
        BeanDefinition composite = registry.getBeanDefinition(FILTER_CHAIN);
        if (!COMPOSITE.equals(composite.getBeanClassName())) {
            // No Spring MVC, or a Spring Security that no longer wraps its chain: nothing to remove.
            return;
        }
        ConstructorArgumentValues.ValueHolder argument =
                composite.getConstructorArgumentValues().getIndexedArgumentValue(0, List.class);
        if (argument != null && argument.getValue() instanceof List<?> filters && filters.size() == 2
                && filters.get(0) instanceof BeanDefinition cache && CACHE_FILTER.equals(cache.getBeanClassName())
                && filters.get(1) instanceof BeanDefinition chain) {
            registry.removeBeanDefinition(FILTER_CHAIN);
            registry.registerBeanDefinition(FILTER_CHAIN, chain);
        } else {
            log.warn("Spring Security's filter chain is wrapped in a form this bus does not know; Spring MVC's handler "
                    + "is looked up once more for every request (see docs/performance.md)");
        }
    }
}
