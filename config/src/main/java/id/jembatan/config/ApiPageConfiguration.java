package id.jembatan.config;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.io.IOException;
import java.io.UncheckedIOException;

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
        try {
            Resource[] pages = new PathMatchingResourcePatternResolver()
                    .getResources("classpath*:" + WEBJAR + "*/index.html");
            if (pages.length != 1) {
                throw new IllegalStateException("expected one Swagger UI WebJar on the classpath, found "
                        + pages.length);
            }
            String url = pages[0].getURL().toString();
            String folder = url.substring(0, url.length() - "/index.html".length());
            return folder.substring(folder.lastIndexOf('/') + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find the Swagger UI WebJar", e);
        }
    }
}
