package id.jembatan.config;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.webjars.WebJarVersionLocator;

/**
 * The interactive API page at {@code /swagger-ui/}: Swagger UI from its WebJar, served by the bus itself (works
 * offline, no CDN), opened on the published contract {@code /v3/api-docs} by this module's
 * {@code swagger-ui/swagger-initializer.js}.
 */
@Configuration(proxyBeanMethods = false)
public class ApiPageConfiguration implements WebMvcConfigurer {

    static final String PAGE = "/swagger-ui/index.html";
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        // Our initializer first: it replaces the WebJar's, which would open the Petstore example.
        registry.addResourceHandler("/swagger-ui/**")
                .addResourceLocations("classpath:/swagger-ui/", "classpath:/" + WEBJAR + webJarVersion() + "/");
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/swagger-ui", PAGE);
        registry.addRedirectViewController("/swagger-ui/", PAGE);
        registry.addRedirectViewController("/swagger-ui.html", PAGE);
    }

    /** The version folder of the Swagger UI WebJar on the classpath (the root pom chooses it). */
    private static String webJarVersion() {
        String version = new WebJarVersionLocator().version("swagger-ui");
        if (version == null) {
            throw new IllegalStateException("no Swagger UI WebJar on the classpath");
        }
        return version;
    }
}
